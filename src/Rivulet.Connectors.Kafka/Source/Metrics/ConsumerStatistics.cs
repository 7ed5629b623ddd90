using System.Text.Json;
using Rivulet.Connectors.Kafka.Metrics;

namespace Rivulet.Connectors.Kafka.Source.Metrics;

/// <summary>
/// The figures of a source subtask's librdkafka consumer statistics the source publishes as
/// metrics: what the client prefetched and holds (what backpressure leaves queued), what it
/// received, and how often requests were retried or failed.
/// </summary>
internal sealed record ConsumerStatistics(
    long FetchQueueMessages,
    long FetchQueueBytes,
    long MessagesReceived,
    long BytesReceived,
    long RequestRetries,
    long RequestErrors)
{
    public static ConsumerStatistics Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        return new ConsumerStatistics(
            StatisticsJson.SumOverPartitions(root, "fetchq_cnt"),
            StatisticsJson.SumOverPartitions(root, "fetchq_size"),
            StatisticsJson.Long(root, "rxmsgs"),
            StatisticsJson.Long(root, "rxmsg_bytes"),
            StatisticsJson.SumOverBrokers(root, "txretries"),
            StatisticsJson.SumOverBrokers(root, "txerrs") + StatisticsJson.SumOverBrokers(root, "rxerrs"));
    }
}
