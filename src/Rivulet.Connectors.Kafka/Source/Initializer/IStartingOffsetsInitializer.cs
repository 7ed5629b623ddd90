namespace Rivulet.Connectors.Kafka.Source.Initializer;

/// <summary>
/// A start position (Flink's <c>setStartFrom…</c>): the next offset to read for partitions the job
/// has no checkpointed offset for. Offsets are resolved to concrete numbers at start, so a
/// checkpoint taken before a partition's first record still restores to the same position.
/// </summary>
internal interface IStartingOffsetsInitializer
{
    IReadOnlyDictionary<KafkaTopicPartition, long> Resolve(IReadOnlyCollection<KafkaTopicPartition> partitions, IPartitionOffsetsReader reader);

    string Describe();
}
