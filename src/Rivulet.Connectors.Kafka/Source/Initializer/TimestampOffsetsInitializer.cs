namespace Rivulet.Connectors.Kafka.Source.Initializer;

/// <summary>
/// <c>SetStartFromTimestamp(ms)</c>: per partition, the first record whose timestamp is ≥ the
/// given epoch milliseconds; a partition whose records are all older starts at its end.
/// </summary>
internal sealed class TimestampOffsetsInitializer : IStartingOffsetsInitializer
{
    public TimestampOffsetsInitializer(long timestampMs)
    {
        if (timestampMs < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(timestampMs), timestampMs, "SetStartFromTimestamp needs epoch milliseconds ≥ 0.");
        }

        TimestampMs = timestampMs;
    }

    public long TimestampMs { get; }

    public IReadOnlyDictionary<KafkaTopicPartition, long> Resolve(IReadOnlyCollection<KafkaTopicPartition> partitions, IPartitionOffsetsReader reader)
    {
        var found = reader.OffsetsForTimestamp(partitions, TimestampMs);
        return partitions.ToDictionary(p => p, p => found.TryGetValue(p, out var offset) ? offset : reader.Latest(p));
    }

    public string Describe() => $"timestamp {TimestampMs}";
}
