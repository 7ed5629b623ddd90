namespace Rivulet.Connectors.Kafka.Sink.Serialization;

/// <summary>
/// What a keyed serialization schema makes of an element. <see cref="Topic"/> overrides the
/// sink's default topic for this record; <see cref="Partition"/> is a hint that wins over the
/// sink's partitioner; <see cref="TimestampMs"/> overrides the element timestamp.
/// </summary>
public sealed record KafkaProducerRecord(byte[]? Key, byte[]? Value)
{
    public string? Topic { get; init; }

    public int? Partition { get; init; }

    public long? TimestampMs { get; init; }

    public IReadOnlyList<KeyValuePair<string, byte[]>>? Headers { get; init; }
}
