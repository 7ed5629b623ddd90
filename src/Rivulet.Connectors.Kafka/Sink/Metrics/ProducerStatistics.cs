using System.Text.Json;

namespace Rivulet.Connectors.Kafka.Sink.Metrics;

/// <summary>
/// The figures of one librdkafka producer's statistics JSON (<c>statistics.interval.ms</c>) the
/// sink publishes as metrics: what waits in the client's queue, what went to the brokers, and how
/// often requests were retried or failed.
/// </summary>
internal readonly record struct ProducerStatistics(
    string ProducerName,
    long QueuedMessages,
    long QueuedBytes,
    long MessagesSent,
    long BytesSent,
    long RequestRetries,
    long RequestErrors)
{
    public static ProducerStatistics Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        long retries = 0, errors = 0;
        if (root.TryGetProperty("brokers", out var brokers) && brokers.ValueKind == JsonValueKind.Object)
        {
            foreach (var broker in brokers.EnumerateObject())
            {
                retries += Long(broker.Value, "txretries");
                errors += Long(broker.Value, "txerrs");
            }
        }

        return new ProducerStatistics(
            root.TryGetProperty("name", out var name) ? name.GetString() ?? string.Empty : string.Empty,
            Long(root, "msg_cnt"),
            Long(root, "msg_size"),
            Long(root, "txmsgs"),
            Long(root, "txmsg_bytes"),
            retries,
            errors);
    }

    private static long Long(JsonElement element, string property) =>
        element.TryGetProperty(property, out var value) && value.TryGetInt64(out var number) ? number : 0;
}
