using Rivulet.Connectors.Kafka.Source.Initializer;

namespace Rivulet.Connectors.Kafka.Source;

/// <summary>
/// A position in every partition, resolved to concrete offsets when the job starts (Flink's
/// <c>OffsetsInitializer</c>): where a <see cref="KafkaSource{T}"/> starts
/// (<see cref="KafkaSourceBuilder{T}.SetStartingOffsets"/>) and, for a bounded source, where it
/// stops (<see cref="KafkaSourceBuilder{T}.SetBounded"/>; the record at the stopping offset is not
/// read).
/// </summary>
public sealed class OffsetsInitializer
{
    private OffsetsInitializer(IStartingOffsetsInitializer implementation) => Implementation = implementation;

    internal IStartingOffsetsInitializer Implementation { get; }

    /// <summary>Each partition's earliest offset.</summary>
    public static OffsetsInitializer Earliest() => new(new EarliestOffsetsInitializer());

    /// <summary>Each partition's latest offset, as of the job's start (for read_committed readers, the last stable offset).</summary>
    public static OffsetsInitializer Latest() => new(new LatestOffsetsInitializer());

    /// <summary>Per partition, the first record with a timestamp ≥ <paramref name="timestampMs"/> (Unix ms); the latest offset where there is none.</summary>
    /// <param name="timestampMs">The timestamp, in milliseconds since the Unix epoch.</param>
    public static OffsetsInitializer Timestamp(long timestampMs) => new(new TimestampOffsetsInitializer(timestampMs));

    /// <summary>The consumer group's committed offsets (the group is the source's <c>group.id</c>).</summary>
    /// <param name="resetStrategy">Where a partition without a committed offset starts; <see cref="OffsetResetStrategy.None"/> fails the job naming it.</param>
    public static OffsetsInitializer CommittedOffsets(OffsetResetStrategy resetStrategy = OffsetResetStrategy.None) =>
        new(new GroupOffsetsInitializer(resetStrategy));

    /// <summary>The given offset per partition; partitions not in the map start from the group's committed offsets, then <c>auto.offset.reset</c>.</summary>
    /// <param name="offsets">The next offset to read, per partition (≥ 0).</param>
    public static OffsetsInitializer Offsets(IReadOnlyDictionary<KafkaTopicPartition, long> offsets) => new(new SpecificOffsetsInitializer(offsets));

    /// <inheritdoc />
    public override string ToString() => Implementation.Describe();
}
