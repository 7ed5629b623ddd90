namespace Rivulet.Connectors.Kafka.Source;

/// <summary>
/// Where a bounded source subtask stops, per partition (exclusive: the record at the stopping
/// offset is not read), and which of its partitions have got there. Resolved once per partition
/// and kept in checkpoints, so a restart stops where the first attempt would have.
/// </summary>
internal sealed class StoppingOffsets(IReadOnlyDictionary<KafkaTopicPartition, long> stops)
{
    private readonly HashSet<KafkaTopicPartition> _finished = [];

    public IReadOnlyDictionary<KafkaTopicPartition, long> Stops { get; } = stops;

    public bool AllFinished => _finished.Count == Stops.Count;

    public IEnumerable<KafkaTopicPartition> Unfinished => Stops.Keys.Where(p => !_finished.Contains(p));

    public bool IsFinished(KafkaTopicPartition partition) => _finished.Contains(partition);

    /// <summary>Whether <paramref name="nextOffset"/> (the next offset to read) is at or past the partition's end.</summary>
    public bool Reached(KafkaTopicPartition partition, long nextOffset) => nextOffset >= Stops[partition];

    /// <summary>Marks the partition finished; false when it already was.</summary>
    public bool Finish(KafkaTopicPartition partition) => _finished.Add(partition);
}
