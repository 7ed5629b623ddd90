using Rivulet.Connectors.Kafka.Sink.Serialization;

namespace Rivulet.Connectors.Kafka.Sink;

/// <summary>
/// Configures a <see cref="KafkaSink{T}"/> (Flink's <c>KafkaSinkBuilder</c>). Required: the
/// bootstrap servers and a record serializer. The delivery guarantee is
/// <see cref="DeliveryGuarantee.None"/> unless set, as in Flink.
/// </summary>
/// <typeparam name="T">The type of the elements the sink writes.</typeparam>
public sealed class KafkaSinkBuilder<T>
{
    private readonly Dictionary<string, string> _properties = new(StringComparer.Ordinal);
    private KafkaRecordSerializationSchema<T>? _serializer;
    private DeliveryGuarantee _deliveryGuarantee = DeliveryGuarantee.None;
    private string? _transactionalIdPrefix;

    internal KafkaSinkBuilder()
    {
    }

    /// <summary>The brokers to bootstrap from (<c>bootstrap.servers</c>), <c>host:port,…</c>.</summary>
    /// <param name="bootstrapServers">A comma-separated list of <c>host:port</c>.</param>
    public KafkaSinkBuilder<T> SetBootstrapServers(string bootstrapServers) => SetProperty("bootstrap.servers", bootstrapServers);

    /// <summary>How elements become records: topic, value, key, partition.</summary>
    /// <param name="recordSerializer">From <see cref="KafkaRecordSerializationSchema.Builder{T}"/>.</param>
    public KafkaSinkBuilder<T> SetRecordSerializer(KafkaRecordSerializationSchema<T> recordSerializer)
    {
        _serializer = recordSerializer ?? throw new ArgumentNullException(nameof(recordSerializer));
        return this;
    }

    /// <summary>What the sink promises (default <see cref="DeliveryGuarantee.None"/>).</summary>
    /// <param name="deliveryGuarantee">The guarantee; <see cref="DeliveryGuarantee.ExactlyOnce"/> needs checkpointing.</param>
    public KafkaSinkBuilder<T> SetDeliveryGuarantee(DeliveryGuarantee deliveryGuarantee)
    {
        if (!Enum.IsDefined(deliveryGuarantee))
        {
            throw new ArgumentOutOfRangeException(nameof(deliveryGuarantee), deliveryGuarantee, "Not a DeliveryGuarantee.");
        }

        _deliveryGuarantee = deliveryGuarantee;
        return this;
    }

    /// <summary>
    /// The prefix of the sink's transactional ids (exactly-once). Two jobs writing to the same
    /// cluster need different prefixes, or they fence each other; without one, the job's name and
    /// the sink's operator name make it.
    /// </summary>
    /// <param name="transactionalIdPrefix">The prefix.</param>
    public KafkaSinkBuilder<T> SetTransactionalIdPrefix(string transactionalIdPrefix)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(transactionalIdPrefix);
        _transactionalIdPrefix = transactionalIdPrefix;
        return this;
    }

    /// <summary>A Kafka client property (librdkafka's names, as in Java: <c>transaction.timeout.ms</c>, <c>security.protocol</c>…).</summary>
    /// <param name="key">The property name.</param>
    /// <param name="value">Its value.</param>
    public KafkaSinkBuilder<T> SetProperty(string key, string value)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(key);
        ArgumentNullException.ThrowIfNull(value);
        _properties[key] = value;
        return this;
    }

    /// <summary>Sets every property of <paramref name="properties"/>, as <see cref="SetProperty"/> does.</summary>
    /// <param name="properties">Property names and values.</param>
    public KafkaSinkBuilder<T> SetProperties(IReadOnlyDictionary<string, string> properties)
    {
        ArgumentNullException.ThrowIfNull(properties);
        foreach (var (key, value) in properties)
        {
            SetProperty(key, value);
        }

        return this;
    }

    /// <summary>Checks the configuration and builds the sink.</summary>
    /// <exception cref="InvalidOperationException">Something required is missing; the message names it.</exception>
    public KafkaSink<T> Build()
    {
        if (!_properties.TryGetValue("bootstrap.servers", out var servers) || string.IsNullOrWhiteSpace(servers))
        {
            throw new InvalidOperationException("KafkaSink: the bootstrap servers are required: call SetBootstrapServers(\"host:port,…\") or set the property bootstrap.servers.");
        }

        if (_serializer is null)
        {
            throw new InvalidOperationException("KafkaSink: a record serializer is required: call SetRecordSerializer(KafkaRecordSerializationSchema.Builder<T>()…Build()).");
        }

        return new KafkaSink<T>(_serializer, new Dictionary<string, string>(_properties, StringComparer.Ordinal), _deliveryGuarantee, _transactionalIdPrefix);
    }
}
