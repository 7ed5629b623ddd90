using Microsoft.Extensions.Logging;

namespace Rivulet.Connectors.Kafka;

/// <summary>
/// The user's Kafka properties (the seeds' <c>java.util.Properties</c>), split into what Rivulet
/// itself reads (<c>flink.*</c> keys) and what is passed unchanged to the client — including
/// <c>security.protocol</c>, <c>sasl.*</c> and <c>ssl.*</c>.
/// </summary>
public static class KafkaProperties
{
    /// <summary>Partition/topic discovery interval in milliseconds (off unless set; Flink's key).</summary>
    public const string PartitionDiscoveryIntervalMillis = "flink.partition-discovery.interval-millis";

    // Java-client settings that Flink users carry over but librdkafka does not know (it would
    // refuse to start on them). They are meaningless here: (de)serialization is the schema's job.
    private static readonly HashSet<string> JavaOnlyKeys = new(StringComparer.Ordinal)
    {
        "key.deserializer", "value.deserializer", "key.serializer", "value.serializer", "zookeeper.connect",
    };

    /// <summary>The properties to hand to Confluent.Kafka; Rivulet's own and Java-only keys removed (logged).</summary>
    public static Dictionary<string, string> ForClient(IReadOnlyDictionary<string, string> properties, ILogger logger)
    {
        var client = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in properties)
        {
            if (key.StartsWith("flink.", StringComparison.Ordinal) || key.StartsWith("rivulet.", StringComparison.Ordinal))
            {
                continue;
            }

            if (JavaOnlyKeys.Contains(key))
            {
                logger.LogInformation("Ignoring Kafka property {Key}: it is a Java-client setting; Rivulet's schemas do (de)serialization", key);
                continue;
            }

            client[key] = value;
        }

        return client;
    }

    /// <summary>A boolean client property as librdkafka reads it (true/false, 1/0, case-insensitive), or an error naming it.</summary>
    public static bool ParseBoolean(string key, string value) => value.Trim().ToLowerInvariant() switch
    {
        "true" or "1" => true,
        "false" or "0" => false,
        _ => throw new ArgumentException($"The Kafka property '{key}' must be true or false, not '{value}'."),
    };

    /// <summary>Reads a required property or fails naming it.</summary>
    public static string Required(IReadOnlyDictionary<string, string> properties, string key, string who) =>
        properties.TryGetValue(key, out var value) && !string.IsNullOrWhiteSpace(value)
            ? value
            : throw new ArgumentException($"{who}: the Kafka property '{key}' is required (a comma-separated host:port list for bootstrap.servers).", nameof(properties));

    /// <summary>The discovery interval, or null when discovery is off.</summary>
    public static TimeSpan? DiscoveryInterval(IReadOnlyDictionary<string, string> properties)
    {
        if (!properties.TryGetValue(PartitionDiscoveryIntervalMillis, out var text))
        {
            return null;
        }

        if (!long.TryParse(text, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var ms))
        {
            throw new ArgumentException($"'{PartitionDiscoveryIntervalMillis}' must be a number of milliseconds, not '{text}'.", nameof(properties));
        }

        // Flink: a negative value (its default Long.MIN_VALUE) disables discovery.
        return ms < 0 ? null : ms == 0
            ? throw new ArgumentException($"'{PartitionDiscoveryIntervalMillis}' must be > 0 to enable discovery (or negative to disable it).", nameof(properties))
            : TimeSpan.FromMilliseconds(ms);
    }
}
