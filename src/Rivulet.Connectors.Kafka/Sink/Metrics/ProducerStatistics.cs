using System.Text.Json;
using Rivulet.Connectors.Kafka.Metrics;

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
        return new ProducerStatistics(
            StatisticsJson.Name(root),
            StatisticsJson.Long(root, "msg_cnt"),
            StatisticsJson.Long(root, "msg_size"),
            StatisticsJson.Long(root, "txmsgs"),
            StatisticsJson.Long(root, "txmsg_bytes"),
            StatisticsJson.SumOverBrokers(root, "txretries"),
            StatisticsJson.SumOverBrokers(root, "txerrs"));
    }
}
