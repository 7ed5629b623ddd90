using Rivulet.Connectors.Kafka.Sink.Partitioning;
using Rivulet.Core.Serialization;

namespace Rivulet.Connectors.Kafka.Sink.Serialization;

/// <summary>Creates record serializers for <see cref="KafkaSinkBuilder{T}.SetRecordSerializer"/> the way Flink does: <c>KafkaRecordSerializationSchema.Builder&lt;T&gt;()…Build()</c>.</summary>
public static class KafkaRecordSerializationSchema
{
    /// <summary>A builder for a serializer of elements of type <typeparamref name="T"/>.</summary>
    /// <typeparam name="T">The type of the elements the sink writes.</typeparam>
    public static KafkaRecordSerializationSchemaBuilder<T> Builder<T>() => new();
}

/// <summary>
/// Turns an element into a Kafka record for a <see cref="KafkaSink{T}"/>: the topic, the value (and
/// optionally the key) from serialization schemas, the partition from an optional partitioner
/// (without one, Kafka's key hashing). Built by <see cref="KafkaRecordSerializationSchema.Builder{T}"/>.
/// </summary>
/// <typeparam name="T">The type of the elements the sink writes.</typeparam>
public sealed class KafkaRecordSerializationSchema<T> : IKafkaSerializationSchema<T>
{
    private readonly ISerializationSchema<T> _value;
    private readonly ISerializationSchema<T>? _key;

    internal KafkaRecordSerializationSchema(string topic, ISerializationSchema<T> value, ISerializationSchema<T>? key, KafkaPartitioner<T>? partitioner)
    {
        Topic = topic;
        _value = value;
        _key = key;
        Partitioner = partitioner;
    }

    /// <summary>The topic every record goes to.</summary>
    public string Topic { get; }

    internal KafkaPartitioner<T>? Partitioner { get; }

    /// <inheritdoc />
    public KafkaProducerRecord Serialize(T element, long? timestampMs) => new(_key?.Serialize(element), _value.Serialize(element));
}
