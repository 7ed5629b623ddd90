using Rivulet.Connectors.Kafka.Sink.Serialization;
using Rivulet.Core.Api.Connectors;
using Rivulet.Core.Api.Functions;

namespace Rivulet.Connectors.Kafka.Sink;

/// <summary>Creates Kafka sinks the way Flink 1.14+ does: <c>KafkaSink.Builder&lt;T&gt;()…Build()</c>, attached with <c>stream.SinkTo</c>.</summary>
public static class KafkaSink
{
    /// <summary>A builder for a <see cref="KafkaSink{T}"/> of elements of type <typeparamref name="T"/>.</summary>
    /// <typeparam name="T">The type of the elements the sink writes.</typeparam>
    public static KafkaSinkBuilder<T> Builder<T>() => new();
}

/// <summary>
/// A Kafka sink built by <see cref="KafkaSink.Builder{T}"/> (Flink's <c>KafkaSink</c>): immutable;
/// <c>stream.SinkTo(sink)</c> writes with the same implementation as the seeds'
/// <see cref="KafkaProducer{T}"/>, including exactly-once through Kafka transactions.
/// </summary>
/// <typeparam name="T">The type of the elements the sink writes.</typeparam>
public sealed class KafkaSink<T> : ISink<T>
{
    private readonly KafkaRecordSerializationSchema<T> _serializer;
    private readonly IReadOnlyDictionary<string, string> _properties;
    private readonly string? _transactionalIdPrefix;

    internal KafkaSink(KafkaRecordSerializationSchema<T> serializer, IReadOnlyDictionary<string, string> properties, DeliveryGuarantee deliveryGuarantee, string? transactionalIdPrefix)
    {
        _serializer = serializer;
        _properties = properties;
        DeliveryGuarantee = deliveryGuarantee;
        _transactionalIdPrefix = transactionalIdPrefix;
    }

    /// <summary>What the sink promises.</summary>
    public DeliveryGuarantee DeliveryGuarantee { get; }

    /// <inheritdoc />
    public ISinkFunction<T> CreateSinkFunction()
    {
        var semantic = DeliveryGuarantee switch
        {
            DeliveryGuarantee.ExactlyOnce => Semantic.ExactlyOnce,
            DeliveryGuarantee.AtLeastOnce => Semantic.AtLeastOnce,
            _ => Semantic.None,
        };
        var function = new KafkaProducer<T>(_serializer.Topic, _serializer, _properties, _serializer.Partitioner, semantic);
        return _transactionalIdPrefix is null ? function : function.SetTransactionalIdPrefix(_transactionalIdPrefix);
    }
}
