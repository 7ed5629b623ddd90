namespace Rivulet.Connectors.Kafka.Source.Deserialization;

/// <summary>
/// A record as read from Kafka, handed to a keyed deserialization schema. <see cref="TimestampMs"/>
/// is the record's timestamp (Unix ms), or <see cref="Core.Time.TimestampAssigner.NoTimestamp"/>
/// for a record that has none.
/// </summary>
public sealed record KafkaRecord(
    string Topic,
    int Partition,
    long Offset,
    long TimestampMs,
    byte[]? Key,
    byte[]? Value,
    IReadOnlyList<KeyValuePair<string, byte[]>> Headers)
{
    /// <summary>The headers of a record without any (shared).</summary>
    internal static readonly IReadOnlyList<KeyValuePair<string, byte[]>> NoHeaders = [];
}
