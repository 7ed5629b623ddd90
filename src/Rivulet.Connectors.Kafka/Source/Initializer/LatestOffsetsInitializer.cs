namespace Rivulet.Connectors.Kafka.Source.Initializer;

/// <summary><c>SetStartFromLatest()</c>: only records written after the job started; committed offsets are ignored.</summary>
internal sealed class LatestOffsetsInitializer : IStartingOffsetsInitializer
{
    public IReadOnlyDictionary<KafkaTopicPartition, long> Resolve(IReadOnlyCollection<KafkaTopicPartition> partitions, IPartitionOffsetsReader reader) =>
        partitions.ToDictionary(p => p, reader.Latest);

    public string Describe() => "latest";
}
