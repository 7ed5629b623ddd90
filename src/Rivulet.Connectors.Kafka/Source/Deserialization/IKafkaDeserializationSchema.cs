namespace Rivulet.Connectors.Kafka.Source.Deserialization;

/// <summary>
/// Turns a whole Kafka record — key, value, topic, partition, offset, timestamp, headers — into an
/// element (Flink's <c>KafkaDeserializationSchema</c> / <c>KeyedDeserializationSchema</c>). Null
/// skips the record; an exception fails the job.
/// </summary>
public interface IKafkaDeserializationSchema<T>
{
    /// <summary>Turns one Kafka record into an element.</summary>
    /// <param name="record">The record: key, value, topic, partition, offset, timestamp and headers.</param>
    /// <returns>The element, or null to skip the record (counted as skipped).</returns>
    /// <exception cref="Exception">Any exception fails the job, wrapped in a <see cref="Rivulet.Connectors.Kafka.Source.Reader.KafkaRecordDeserializationException"/> that names the record.</exception>
    T? Deserialize(KafkaRecord record);

    /// <summary>True when <paramref name="nextElement"/> marks the end of the stream: the source stops reading.</summary>
    bool IsEndOfStream(T nextElement) => false;
}
