namespace Rivulet.Connectors.Kafka.Sink.Serialization;

/// <summary>
/// Turns an element into a whole Kafka record: key, value, target topic, headers, partition hint
/// (Flink's <c>KafkaSerializationSchema</c> / <c>KeyedSerializationSchema</c>).
/// </summary>
public interface IKafkaSerializationSchema<in T>
{
    /// <param name="element">The element to write.</param>
    /// <param name="timestampMs">The element's timestamp, if it has one.</param>
    KafkaProducerRecord Serialize(T element, long? timestampMs);
}
