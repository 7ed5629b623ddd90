using Confluent.Kafka;

namespace Rivulet.Connectors.Kafka.Source.Initializer;

/// <summary>Answers start-position questions through a Confluent.Kafka consumer.</summary>
internal sealed class ConsumerOffsetsReader<TKey, TValue>(IConsumer<TKey, TValue> consumer, string? groupId, string? autoOffsetReset, TimeSpan timeout)
    : IPartitionOffsetsReader
{
    public string? GroupId => groupId;

    // librdkafka's default for auto.offset.reset is "largest".
    public string AutoOffsetReset => string.IsNullOrEmpty(autoOffsetReset) ? "largest" : autoOffsetReset;

    public long Earliest(KafkaTopicPartition partition) => Watermarks(partition).Low.Value;

    public long Latest(KafkaTopicPartition partition) => Watermarks(partition).High.Value;

    public IReadOnlyDictionary<KafkaTopicPartition, long> Committed(IReadOnlyCollection<KafkaTopicPartition> partitions)
    {
        if (string.IsNullOrEmpty(groupId))
        {
            throw new InvalidOperationException(
                "The Kafka source starts from the consumer group's committed offsets (SetStartFromGroupOffsets, the default, " +
                "or partitions missing from SetStartFromSpecificOffsets) but 'group.id' is not set in its properties. " +
                "Set group.id, or choose SetStartFromEarliest/Latest/Timestamp.");
        }

        var committed = consumer.Committed(partitions.Select(p => new TopicPartition(p.Topic, p.Partition)), timeout);
        return committed
            .Where(c => c.Offset.Value >= 0)
            .ToDictionary(c => new KafkaTopicPartition(c.Topic, c.Partition.Value), c => c.Offset.Value);
    }

    public IReadOnlyDictionary<KafkaTopicPartition, long> OffsetsForTimestamp(IReadOnlyCollection<KafkaTopicPartition> partitions, long timestampMs)
    {
        var answers = consumer.OffsetsForTimes(
            partitions.Select(p => new TopicPartitionTimestamp(p.Topic, p.Partition, new Timestamp(timestampMs, TimestampType.CreateTime))),
            timeout);
        return answers
            .Where(a => a.Offset.Value >= 0)
            .ToDictionary(a => new KafkaTopicPartition(a.Topic, a.Partition.Value), a => a.Offset.Value);
    }

    private WatermarkOffsets Watermarks(KafkaTopicPartition partition) =>
        consumer.QueryWatermarkOffsets(new TopicPartition(partition.Topic, partition.Partition), timeout);
}
