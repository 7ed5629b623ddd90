namespace Rivulet.Connectors.Kafka.Source.Reader;

/// <summary>What one poll of the reader produced.</summary>
internal enum FetchOutcome
{
    /// <summary>Nothing arrived within the poll timeout.</summary>
    Nothing,

    /// <summary>An element to emit.</summary>
    Element,

    /// <summary>The schema returned null: the record is skipped (and counted).</summary>
    Skipped,

    /// <summary>The schema said this element ends the stream.</summary>
    EndOfStream,
}

/// <summary>
/// One record read from a partition. The source emits <see cref="Element"/> and then advances the
/// partition's position to <see cref="Offset"/> + 1 in the same step, so a checkpoint never sees
/// one without the other.
/// </summary>
internal readonly record struct FetchedRecord<T>(FetchOutcome Outcome, KafkaTopicPartition Partition, long Offset, long TimestampMs, T? Element)
{
    public static FetchedRecord<T> None => new(FetchOutcome.Nothing, default, -1, 0, default);
}
