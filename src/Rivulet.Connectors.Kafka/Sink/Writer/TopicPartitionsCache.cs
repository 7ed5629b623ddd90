using Confluent.Kafka;

namespace Rivulet.Connectors.Kafka.Sink.Writer;

/// <summary>
/// The partition ids of each topic the sink writes to, for partitioners. Read once per topic
/// (like Flink); a topic that does not exist fails with its name.
/// </summary>
internal sealed class TopicPartitionsCache(Handle producerHandle, TimeSpan timeout) : IDisposable
{
    private readonly Dictionary<string, int[]> _partitions = new(StringComparer.Ordinal);
    private IAdminClient? _admin;

    public int[] PartitionsOf(string topic)
    {
        if (_partitions.TryGetValue(topic, out var known))
        {
            return known;
        }

        _admin ??= new DependentAdminClientBuilder(producerHandle).Build();
        var metadata = _admin.GetMetadata(topic, timeout).Topics.SingleOrDefault(t => t.Topic == topic);
        if (metadata is null || metadata.Error.IsError || metadata.Partitions.Count == 0)
        {
            throw new KafkaException(new Error(metadata?.Error.Code ?? ErrorCode.UnknownTopicOrPart,
                $"The Kafka sink cannot write to topic '{topic}': {metadata?.Error.Reason ?? "no metadata"} (does the topic exist?)"));
        }

        var ids = metadata.Partitions.Select(p => p.PartitionId).Order().ToArray();
        _partitions[topic] = ids;
        return ids;
    }

    public void Dispose() => _admin?.Dispose();
}
