namespace Rivulet.Connectors.Kafka.Source.Initializer;

/// <summary><c>SetStartFromEarliest()</c>: the first record still in each partition; committed offsets are ignored.</summary>
internal sealed class EarliestOffsetsInitializer : IStartingOffsetsInitializer
{
    public IReadOnlyDictionary<KafkaTopicPartition, long> Resolve(IReadOnlyCollection<KafkaTopicPartition> partitions, IPartitionOffsetsReader reader) =>
        partitions.ToDictionary(p => p, reader.Earliest);

    public string Describe() => "earliest";
}
