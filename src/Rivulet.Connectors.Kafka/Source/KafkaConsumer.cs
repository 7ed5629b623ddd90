using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using Rivulet.Connectors.Kafka.Source.Deserialization;
using Rivulet.Connectors.Kafka.Source.Initializer;
using Rivulet.Connectors.Kafka.Source.Subscriber;
using Rivulet.Core.Api.Functions;
using Rivulet.Core.Serialization;
using Rivulet.Core.State;
using Rivulet.Core.Time;

namespace Rivulet.Connectors.Kafka.Source;

/// <summary>
/// Reads Kafka topics into a stream with exactly-once state semantics — Rivulet's counterpart of
/// Flink's <c>FlinkKafkaConsumer</c>. Each partition is read by one source subtask; the next
/// offset of every partition is kept in checkpoints and restored exactly; offsets are committed
/// to the consumer group when a checkpoint completes (for monitoring only).
/// </summary>
public sealed class KafkaConsumer<T> : ISourceFunction<T>, ICheckpointedFunction, ICheckpointListener, IRichFunction, IDisposable
{
    // The configuration: immutable, replaced by a changed copy on every setter, read by all subtasks.
    private KafkaSourceSettings<T> _settings;

    // Per subtask: the engine gives each subtask its own shallow copy of this function before
    // InitializeState, and these two are made there and in Open.
    private KafkaSourceCheckpointState? _state;
    private KafkaSourceSubtask<T>? _subtask;

    /// <summary>Reads one topic with a value-only schema.</summary>
    public KafkaConsumer(string topic, IDeserializationSchema<T> schema, IReadOnlyDictionary<string, string> properties)
        : this(new TopicListSubscriber([topic]), new ValueOnlyDeserializationSchema<T>(schema), properties)
    {
    }

    /// <summary>Reads several topics with a value-only schema.</summary>
    public KafkaConsumer(IEnumerable<string> topics, IDeserializationSchema<T> schema, IReadOnlyDictionary<string, string> properties)
        : this(new TopicListSubscriber(topics), new ValueOnlyDeserializationSchema<T>(schema), properties)
    {
    }

    /// <summary>Reads every topic whose name matches <paramref name="topicPattern"/> (also topics created later, with discovery on).</summary>
    public KafkaConsumer(Regex topicPattern, IDeserializationSchema<T> schema, IReadOnlyDictionary<string, string> properties)
        : this(new TopicPatternSubscriber(topicPattern), new ValueOnlyDeserializationSchema<T>(schema), properties)
    {
    }

    /// <summary>Reads one topic with a schema that sees the whole record.</summary>
    public KafkaConsumer(string topic, IKafkaDeserializationSchema<T> schema, IReadOnlyDictionary<string, string> properties)
        : this(new TopicListSubscriber([topic]), schema, properties)
    {
    }

    /// <summary>Reads several topics with a schema that sees the whole record.</summary>
    /// <exception cref="ArgumentException"><paramref name="topics"/> is empty or names an empty topic, or <paramref name="properties"/> lacks <c>bootstrap.servers</c> or has an invalid <c>flink.partition-discovery.interval-millis</c>.</exception>
    public KafkaConsumer(IEnumerable<string> topics, IKafkaDeserializationSchema<T> schema, IReadOnlyDictionary<string, string> properties)
        : this(new TopicListSubscriber(topics), schema, properties)
    {
    }

    /// <summary>Reads every topic whose whole name matches <paramref name="topicPattern"/> (also topics created later, with discovery on) with a schema that sees the whole record.</summary>
    /// <exception cref="ArgumentException"><paramref name="properties"/> lacks <c>bootstrap.servers</c> or has an invalid <c>flink.partition-discovery.interval-millis</c>.</exception>
    public KafkaConsumer(Regex topicPattern, IKafkaDeserializationSchema<T> schema, IReadOnlyDictionary<string, string> properties)
        : this(new TopicPatternSubscriber(topicPattern), schema, properties)
    {
    }

    internal KafkaConsumer(IKafkaSubscriber subscriber, IKafkaDeserializationSchema<T> schema, IReadOnlyDictionary<string, string> properties)
    {
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentNullException.ThrowIfNull(properties);
        KafkaProperties.Required(properties, "bootstrap.servers", "KafkaConsumer");
        var copied = new Dictionary<string, string>(properties, StringComparer.Ordinal);
        _settings = new KafkaSourceSettings<T>(subscriber, schema, copied) { DiscoveryInterval = KafkaProperties.DiscoveryInterval(copied) };
    }

    /// <summary>From <c>flink.partition-discovery.interval-millis</c>; null = discovery off.</summary>
    public TimeSpan? DiscoveryInterval => _settings.DiscoveryInterval;

    /// <summary>The default: the group's committed offsets, falling back to <c>auto.offset.reset</c>.</summary>
    public KafkaConsumer<T> SetStartFromGroupOffsets() => Start(new GroupOffsetsInitializer());

    /// <summary>Starts each partition at its earliest record still in Kafka, ignoring committed group offsets (Flink's <c>setStartFromEarliest</c>); a restore resumes from the checkpointed offsets instead.</summary>
    public KafkaConsumer<T> SetStartFromEarliest() => Start(new EarliestOffsetsInitializer());

    /// <summary>Starts each partition at its end, so only records written after the job starts are read, ignoring committed group offsets (Flink's <c>setStartFromLatest</c>); a restore resumes from the checkpointed offsets instead.</summary>
    public KafkaConsumer<T> SetStartFromLatest() => Start(new LatestOffsetsInitializer());

    /// <summary>Per partition, the first record with a timestamp ≥ <paramref name="startupOffsetsTimestamp"/> (epoch ms); the end where there is none.</summary>
    public KafkaConsumer<T> SetStartFromTimestamp(long startupOffsetsTimestamp) => Start(new TimestampOffsetsInitializer(startupOffsetsTimestamp));

    /// <summary>The next offset to read per partition; unlisted partitions start from the group offsets.</summary>
    public KafkaConsumer<T> SetStartFromSpecificOffsets(IReadOnlyDictionary<KafkaTopicPartition, long> specificStartupOffsets) =>
        Start(new SpecificOffsetsInitializer(specificStartupOffsets));

    /// <summary>Whether offsets are committed to the group when a checkpoint completes (default true).</summary>
    public KafkaConsumer<T> SetCommitOffsetsOnCheckpoints(bool commitOnCheckpoints) =>
        Configure(_settings with { CommitOffsetsOnCheckpoints = commitOnCheckpoints });

    /// <summary>
    /// Generates timestamps and watermarks inside the source, per Kafka partition, and emits their
    /// minimum (Flink's <c>FlinkKafkaConsumer.assignTimestampsAndWatermarks</c>): a partition that
    /// is behind holds the watermark back, one without data for the strategy's idleness timeout
    /// (<see cref="WatermarkStrategy{T}.WithIdleness"/>) does not, and neither does a subtask
    /// without partitions. The assigner receives the Kafka record timestamp.
    /// </summary>
    public KafkaConsumer<T> AssignTimestampsAndWatermarks(WatermarkStrategy<T> strategy) =>
        Configure(_settings with { WatermarkStrategy = strategy ?? throw new ArgumentNullException(nameof(strategy)) });

    /// <summary>
    /// Makes the source bounded (the builder's <c>SetBounded</c>): each partition is read up to the
    /// offset <paramref name="stoppingOffsets"/> resolves when the partition is first assigned,
    /// and the source ends once all its partitions got there. Partition discovery is off then.
    /// </summary>
    internal KafkaConsumer<T> SetBounded(IStartingOffsetsInitializer stoppingOffsets) =>
        Configure(_settings with { StoppingOffsets = stoppingOffsets ?? throw new ArgumentNullException(nameof(stoppingOffsets)) });

    /// <summary>Whether the source ends by itself (<see cref="SetBounded"/>).</summary>
    internal bool IsBounded => _settings.StoppingOffsets is not null;

    /// <summary>Starts from <paramref name="initializer"/> (the builder's <c>SetStartingOffsets</c>).</summary>
    internal KafkaConsumer<T> SetStartingOffsets(IStartingOffsetsInitializer initializer) => Start(initializer);

    /// <inheritdoc />
    public void InitializeState(IFunctionInitializationContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        _state = new KafkaSourceCheckpointState(context, _settings.Subscriber, _settings.StoppingOffsets is not null,
            context.RuntimeContext.LoggerFactory.CreateLogger<KafkaConsumer<T>>());
    }

    /// <inheritdoc />
    public void Open(IRuntimeContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        _subtask = new KafkaSourceSubtask<T>(_settings, State, context);
    }

    /// <inheritdoc />
    public Task RunAsync(ISourceContext<T> context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        Subtask.Run(context, cancellationToken);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public void SnapshotState(IFunctionSnapshotContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (_subtask is { } subtask)
        {
            subtask.SnapshotState(context.CheckpointId);
        }
        else
        {
            // Not opened (yet): the checkpoint keeps what was restored.
            State.Update(State.RestoredOffsets ?? new Dictionary<KafkaTopicPartition, long>(), State.RestoredStops);
        }
    }

    /// <inheritdoc />
    public void NotifyCheckpointComplete(long checkpointId) => _subtask?.NotifyCheckpointComplete(checkpointId);

    /// <inheritdoc />
    public void Close() => Dispose();

    /// <inheritdoc />
    public void Dispose() => _subtask?.Dispose();

    private KafkaSourceCheckpointState State => _state ?? throw new InvalidOperationException("KafkaConsumer: InitializeState has not run for this subtask.");

    private KafkaSourceSubtask<T> Subtask => _subtask ?? throw new InvalidOperationException("KafkaConsumer: the subtask has not been opened.");

    private KafkaConsumer<T> Start(IStartingOffsetsInitializer initializer) => Configure(_settings with { StartingOffsets = initializer });

    private KafkaConsumer<T> Configure(KafkaSourceSettings<T> settings)
    {
        _settings = settings;
        return this;
    }
}
