using Rivulet.Connectors.Kafka.Sink.Partitioning;
using Rivulet.Core.Serialization;

namespace Rivulet.Connectors.Kafka.Sink.Serialization;

/// <summary>Configures a <see cref="KafkaRecordSerializationSchema{T}"/>: the topic and a value schema are required.</summary>
/// <typeparam name="T">The type of the elements the sink writes.</typeparam>
public sealed class KafkaRecordSerializationSchemaBuilder<T>
{
    private string? _topic;
    private ISerializationSchema<T>? _value;
    private ISerializationSchema<T>? _key;
    private KafkaPartitioner<T>? _partitioner;

    internal KafkaRecordSerializationSchemaBuilder()
    {
    }

    /// <summary>The topic every record goes to.</summary>
    /// <param name="topic">The topic name.</param>
    public KafkaRecordSerializationSchemaBuilder<T> SetTopic(string topic)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(topic);
        _topic = topic;
        return this;
    }

    /// <summary>How an element becomes the record's value.</summary>
    /// <param name="valueSerializationSchema">For example <see cref="SimpleStringSchema"/>.</param>
    public KafkaRecordSerializationSchemaBuilder<T> SetValueSerializationSchema(ISerializationSchema<T> valueSerializationSchema)
    {
        _value = valueSerializationSchema ?? throw new ArgumentNullException(nameof(valueSerializationSchema));
        return this;
    }

    /// <summary>How an element becomes the record's key (default: no key).</summary>
    /// <param name="keySerializationSchema">The key's schema.</param>
    public KafkaRecordSerializationSchemaBuilder<T> SetKeySerializationSchema(ISerializationSchema<T> keySerializationSchema)
    {
        _key = keySerializationSchema ?? throw new ArgumentNullException(nameof(keySerializationSchema));
        return this;
    }

    /// <summary>Chooses each record's partition (default: Kafka's key hashing, or any partition for records without a key).</summary>
    /// <param name="partitioner">For example <see cref="FixedPartitioner{T}"/>.</param>
    public KafkaRecordSerializationSchemaBuilder<T> SetPartitioner(KafkaPartitioner<T> partitioner)
    {
        _partitioner = partitioner ?? throw new ArgumentNullException(nameof(partitioner));
        return this;
    }

    /// <summary>Checks the configuration and builds the serializer.</summary>
    /// <exception cref="InvalidOperationException">The topic or the value schema is missing.</exception>
    public KafkaRecordSerializationSchema<T> Build() => new(
        _topic ?? throw new InvalidOperationException("KafkaRecordSerializationSchema: the topic is required: call SetTopic."),
        _value ?? throw new InvalidOperationException("KafkaRecordSerializationSchema: a value schema is required: call SetValueSerializationSchema."),
        _key,
        _partitioner);
}
