namespace Rivulet.Connectors.Kafka.Sink.Partitioning;

/// <summary>
/// Chooses the partition of each record the sink writes (Flink's <c>FlinkKafkaPartitioner</c>).
/// One instance per sink subtask — each gets a copy (<c>MemberwiseClone</c>) of the instance the
/// sink was built with, so set up per-subtask state in <see cref="Open"/>; it is not checkpointed.
/// </summary>
public abstract class KafkaPartitioner<T>
{
    /// <summary>The copy a sink subtask opens and uses alone (Flink copies partitioners by serialization).</summary>
    internal KafkaPartitioner<T> CopyForSubtask() => (KafkaPartitioner<T>)MemberwiseClone();

    /// <summary>Called once per sink subtask before the first record.</summary>
    public virtual void Open(int parallelInstanceId, int parallelInstances)
    {
    }

    /// <summary>Chooses the partition of <paramref name="targetTopic"/> a record goes to (Flink's <c>FlinkKafkaPartitioner.partition</c>); called on the sink subtask's own loop.</summary>
    /// <param name="record">The element.</param>
    /// <param name="key">The serialized key (may be null).</param>
    /// <param name="value">The serialized value (may be null).</param>
    /// <param name="targetTopic">The topic the record goes to.</param>
    /// <param name="partitions">The topic's partition ids, ascending.</param>
    /// <returns>One of <paramref name="partitions"/>.</returns>
    public abstract int Partition(T record, byte[]? key, byte[]? value, string targetTopic, int[] partitions);
}
