namespace Rivulet.Connectors.Kafka.Source.Deserialization;

/// <summary>
/// Turns a whole Kafka record — key, value, topic, partition, offset, timestamp, headers — into an
/// element (Flink's <c>KafkaDeserializationSchema</c> / <c>KeyedDeserializationSchema</c>). Null
/// skips the record; an exception fails the job.
/// </summary>
public interface IKafkaDeserializationSchema<T>
{
    T? Deserialize(KafkaRecord record);

    /// <summary>True when <paramref name="nextElement"/> marks the end of the stream: the source stops reading.</summary>
    bool IsEndOfStream(T nextElement) => false;
}
