namespace Rivulet.Connectors.Kafka;

/// <summary>A partition of a topic: the unit the source assigns, reads and checkpoints.</summary>
public readonly record struct KafkaTopicPartition(string Topic, int Partition) : IComparable<KafkaTopicPartition>
{
    /// <inheritdoc />
    public int CompareTo(KafkaTopicPartition other)
    {
        var byTopic = string.CompareOrdinal(Topic, other.Topic);
        return byTopic != 0 ? byTopic : Partition.CompareTo(other.Partition);
    }

    /// <inheritdoc />
    public override string ToString() => $"{Topic}-{Partition}";
}
