namespace Rivulet.Connectors.Kafka.Source;

/// <summary>
/// Decides which source subtask reads a partition: deterministic (every subtask computes the
/// same answer without talking to the others, also for partitions discovered later) and
/// balanced (a topic's partitions go round-robin over the subtasks).
/// </summary>
/// <remarks>
/// Same rule as Flink's Kafka consumer, so a job moved from Flink spreads partitions the same
/// way: each topic starts at an index derived from the Java hash code of its name, then
/// partition p goes to <c>(start + p) % parallelism</c>. Starting each topic at a different
/// subtask keeps many small topics from piling onto subtask 0.
/// </remarks>
internal static class KafkaPartitionAssigner
{
    /// <summary>The 0-based subtask that reads <paramref name="partition"/>.</summary>
    public static int Assign(KafkaTopicPartition partition, int parallelism)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(parallelism, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(partition.Partition);
        var startIndex = (int)(((uint)(JavaStringHashCode(partition.Topic) * 31) & 0x7FFFFFFF) % (uint)parallelism);
        return (startIndex + partition.Partition) % parallelism;
    }

    /// <summary>Whether <paramref name="subtaskIndex"/> of <paramref name="parallelism"/> reads the partition.</summary>
    public static bool IsAssignedTo(KafkaTopicPartition partition, int subtaskIndex, int parallelism) =>
        Assign(partition, parallelism) == subtaskIndex;

    /// <summary>Java's <c>String.hashCode()</c> (s[0]*31^(n-1) + … over UTF-16 code units, wrapping).</summary>
    internal static int JavaStringHashCode(string value)
    {
        var hash = 0;
        unchecked
        {
            foreach (var c in value)
            {
                hash = (31 * hash) + c;
            }
        }

        return hash;
    }
}
