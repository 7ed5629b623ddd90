namespace Rivulet.Connectors.Kafka.Sink.Partitioning;

/// <summary>
/// The default: every record of sink subtask <c>i</c> goes to partition
/// <c>partitions[i % partitions.Length]</c> (Flink's <c>FlinkFixedPartitioner</c>). With fewer
/// subtasks than partitions some partitions get nothing; with more, several subtasks share one.
/// </summary>
public sealed class FixedPartitioner<T> : KafkaPartitioner<T>
{
    private int _parallelInstanceId = -1;

    /// <inheritdoc />
    public override void Open(int parallelInstanceId, int parallelInstances)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(parallelInstanceId);
        ArgumentOutOfRangeException.ThrowIfLessThan(parallelInstances, 1);
        _parallelInstanceId = parallelInstanceId;
    }

    /// <inheritdoc />
    public override int Partition(T record, byte[]? key, byte[]? value, string targetTopic, int[] partitions)
    {
        if (_parallelInstanceId < 0)
        {
            throw new InvalidOperationException("FixedPartitioner.Open must be called before Partition.");
        }

        if (partitions.Length == 0)
        {
            throw new InvalidOperationException($"Topic '{targetTopic}' has no partitions.");
        }

        return partitions[_parallelInstanceId % partitions.Length];
    }
}
