namespace Rivulet.Connectors.Kafka.Sink.Serialization;

/// <summary>
/// What a keyed serialization schema makes of an element. <see cref="Topic"/> overrides the
/// sink's default topic for this record; <see cref="Partition"/> is a hint that wins over the
/// sink's partitioner; <see cref="TimestampMs"/> overrides the element timestamp.
/// </summary>
public sealed record KafkaProducerRecord(byte[]? Key, byte[]? Value)
{
    /// <summary>The topic to write the record to; null for the sink's default topic.</summary>
    public string? Topic { get; init; }

    /// <summary>The partition to write the record to, chosen over the sink's partitioner; null lets the partitioner (or, without one, Kafka's key hashing) choose.</summary>
    public int? Partition { get; init; }

    /// <summary>The record timestamp (Unix epoch ms); null for the element's timestamp when the sink writes timestamps to Kafka, else the Kafka client's.</summary>
    public long? TimestampMs { get; init; }

    /// <summary>Headers to write with the record, in order; null or empty for none.</summary>
    public IReadOnlyList<KeyValuePair<string, byte[]>>? Headers { get; init; }
}
