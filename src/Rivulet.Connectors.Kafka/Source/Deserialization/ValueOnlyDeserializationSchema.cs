using Rivulet.Core.Serialization;

namespace Rivulet.Connectors.Kafka.Source.Deserialization;

/// <summary>Adapts a value-only schema to the record-level interface the source reads with.</summary>
internal sealed class ValueOnlyDeserializationSchema<T>(IDeserializationSchema<T> inner) : IKafkaDeserializationSchema<T>
{
    public T? Deserialize(KafkaRecord record) => inner.Deserialize(record.Value);

    public bool IsEndOfStream(T nextElement) => inner.IsEndOfStream(nextElement);
}
