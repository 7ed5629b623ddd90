using Rivulet.Core.Serialization;

namespace Rivulet.Connectors.Kafka.Sink.Serialization;

/// <summary>Adapts a value-only schema to the record-level interface the sink writes with.</summary>
internal sealed class ValueOnlySerializationSchema<T>(ISerializationSchema<T> inner) : IKafkaSerializationSchema<T>
{
    public KafkaProducerRecord Serialize(T element, long? timestampMs) => new(null, inner.Serialize(element));
}
