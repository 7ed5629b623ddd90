using System.Text.Json;

namespace Rivulet.Connectors.Kafka.Metrics;

/// <summary>Reading figures out of librdkafka's statistics JSON (<c>statistics.interval.ms</c>).</summary>
internal static class StatisticsJson
{
    public static long Long(JsonElement element, string property) =>
        element.TryGetProperty(property, out var value) && value.TryGetInt64(out var number) ? number : 0;

    /// <summary>A figure summed over the client's brokers (<c>brokers.*.&lt;property&gt;</c>).</summary>
    public static long SumOverBrokers(JsonElement root, string property) => SumOver(root, "brokers", broker => Long(broker, property));

    /// <summary>A figure summed over every partition of every topic (<c>topics.*.partitions.*.&lt;property&gt;</c>), skipping librdkafka's internal partition -1.</summary>
    public static long SumOverPartitions(JsonElement root, string property) =>
        SumOver(root, "topics", topic => SumOver(topic, "partitions", partition => Long(partition, "partition") < 0 ? 0 : Math.Max(0, Long(partition, property))));

    public static string Name(JsonElement root) => root.TryGetProperty("name", out var name) ? name.GetString() ?? string.Empty : string.Empty;

    private static long SumOver(JsonElement element, string property, Func<JsonElement, long> figure)
    {
        long sum = 0;
        if (element.TryGetProperty(property, out var children) && children.ValueKind == JsonValueKind.Object)
        {
            foreach (var child in children.EnumerateObject())
            {
                sum += figure(child.Value);
            }
        }

        return sum;
    }
}
