using Rivulet.Connectors.Kafka.Source.Deserialization;
using Rivulet.Connectors.Kafka.Source.Initializer;
using Rivulet.Connectors.Kafka.Source.Subscriber;
using Rivulet.Core.Api.Connectors;
using Rivulet.Core.Api.Functions;
using Rivulet.Core.Time;

namespace Rivulet.Connectors.Kafka.Source;

/// <summary>Creates Kafka sources the way Flink 1.14+ does: <c>KafkaSource.Builder&lt;T&gt;()…Build()</c>, added with <c>env.FromSource</c>.</summary>
public static class KafkaSource
{
    /// <summary>A builder for a <see cref="KafkaSource{T}"/> of elements of type <typeparamref name="T"/>.</summary>
    /// <typeparam name="T">The type the deserializer produces.</typeparam>
    public static KafkaSourceBuilder<T> Builder<T>() => new();
}

/// <summary>
/// A Kafka source built by <see cref="KafkaSource.Builder{T}"/> (Flink's <c>KafkaSource</c>):
/// immutable; <c>env.FromSource(source, watermarkStrategy, name)</c> reads it with the same
/// implementation as the seeds' <see cref="KafkaConsumer{T}"/> — offsets in checkpoints, commit on
/// checkpoint, per-partition watermarks — plus an optional end (<see cref="KafkaSourceBuilder{T}.SetBounded"/>).
/// </summary>
/// <typeparam name="T">The type of the elements the source emits.</typeparam>
public sealed class KafkaSource<T> : ISource<T>
{
    private readonly IKafkaSubscriber _subscriber;
    private readonly IKafkaDeserializationSchema<T> _deserializer;
    private readonly IReadOnlyDictionary<string, string> _properties;
    private readonly IStartingOffsetsInitializer _startingOffsets;
    private readonly IStartingOffsetsInitializer? _stoppingOffsets;
    private readonly bool _commitOffsetsOnCheckpoints;

    internal KafkaSource(
        IKafkaSubscriber subscriber,
        IKafkaDeserializationSchema<T> deserializer,
        IReadOnlyDictionary<string, string> properties,
        IStartingOffsetsInitializer startingOffsets,
        IStartingOffsetsInitializer? stoppingOffsets,
        bool commitOffsetsOnCheckpoints)
    {
        _subscriber = subscriber;
        _deserializer = deserializer;
        _properties = properties;
        _startingOffsets = startingOffsets;
        _stoppingOffsets = stoppingOffsets;
        _commitOffsetsOnCheckpoints = commitOffsetsOnCheckpoints;
    }

    /// <summary>Whether the source stops at the offsets given to <see cref="KafkaSourceBuilder{T}.SetBounded"/>.</summary>
    public bool IsBounded => _stoppingOffsets is not null;

    /// <inheritdoc />
    public ISourceFunction<T> CreateSourceFunction(WatermarkStrategy<T> watermarkStrategy)
    {
        ArgumentNullException.ThrowIfNull(watermarkStrategy);
        var function = new KafkaConsumer<T>(_subscriber, _deserializer, _properties)
            .SetStartingOffsets(_startingOffsets)
            .SetCommitOffsetsOnCheckpoints(_commitOffsetsOnCheckpoints)
            .AssignTimestampsAndWatermarks(watermarkStrategy);
        return _stoppingOffsets is null ? function : function.SetBounded(_stoppingOffsets);
    }
}
