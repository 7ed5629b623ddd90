namespace Rivulet.Core.Serialization;

/// <summary>
/// Turns a record's value bytes into an element (Flink's <c>DeserializationSchema</c>). Return
/// null to skip a corrupt record (it is counted); throw to fail the job (the message then names
/// the topic, partition and offset).
/// </summary>
public interface IDeserializationSchema<T>
{
    /// <summary>Turns one record value into an element.</summary>
    /// <param name="message">The value bytes; null for a record without a value (a tombstone).</param>
    /// <returns>The element, or null to skip the record.</returns>
    T? Deserialize(byte[]? message);

    /// <summary>True when <paramref name="nextElement"/> marks the end of the stream: the source stops reading.</summary>
    bool IsEndOfStream(T nextElement) => false;
}
