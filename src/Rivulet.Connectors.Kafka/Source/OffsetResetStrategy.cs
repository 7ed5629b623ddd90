namespace Rivulet.Connectors.Kafka.Source;

/// <summary>Where <see cref="OffsetsInitializer.CommittedOffsets"/> starts a partition the consumer group has no committed offset for (Flink's <c>OffsetResetStrategy</c>).</summary>
public enum OffsetResetStrategy
{
    /// <summary>Fail the job, naming the group and the partition.</summary>
    None,

    /// <summary>The partition's earliest offset.</summary>
    Earliest,

    /// <summary>The partition's latest offset (only records written later).</summary>
    Latest,
}
