namespace Rivulet.Connectors.Kafka.Source.Initializer;

/// <summary>What start positions need to know about partitions, answered by the cluster.</summary>
internal interface IPartitionOffsetsReader
{
    /// <summary>The consumer group whose committed offsets are read (null when none is configured).</summary>
    string? GroupId { get; }

    /// <summary>The client's <c>auto.offset.reset</c> (librdkafka's default is "largest").</summary>
    string AutoOffsetReset { get; }

    /// <summary>First offset still in the log.</summary>
    long Earliest(KafkaTopicPartition partition);

    /// <summary>The offset the next written record gets (for read_committed readers, the last stable offset).</summary>
    long Latest(KafkaTopicPartition partition);

    /// <summary>The group's committed offsets; partitions without one are absent.</summary>
    IReadOnlyDictionary<KafkaTopicPartition, long> Committed(IReadOnlyCollection<KafkaTopicPartition> partitions);

    /// <summary>For each partition, the first offset whose record timestamp is ≥ the timestamp; absent when there is none.</summary>
    IReadOnlyDictionary<KafkaTopicPartition, long> OffsetsForTimestamp(IReadOnlyCollection<KafkaTopicPartition> partitions, long timestampMs);
}
