using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using Rivulet.Connectors.Kafka.Source.Deserialization;
using Rivulet.Connectors.Kafka.Source.Initializer;
using Rivulet.Connectors.Kafka.Source.Metrics;
using Rivulet.Connectors.Kafka.Source.Reader;
using Rivulet.Connectors.Kafka.Source.Subscriber;
using Rivulet.Core.Api.Functions;
using Rivulet.Core.Recovery;
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
    private static readonly TimeSpan MetadataTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan PollTimeout = TimeSpan.FromMilliseconds(100);
    private static readonly ListStateDescriptor<KafkaPartitionOffset> OffsetsState = new("topic-partition-offset-states");
    private static readonly ListStateDescriptor<KafkaPartitionOffset> StoppingOffsetsState = new("topic-partition-stopping-offsets");

    private readonly IKafkaSubscriber _subscriber;
    private readonly IKafkaDeserializationSchema<T> _schema;
    private readonly Dictionary<string, string> _properties;
    private IStartingOffsetsInitializer _startingOffsets = new GroupOffsetsInitializer();
    private bool _commitOffsetsOnCheckpoints = true;
    private WatermarkStrategy<T>? _watermarkStrategy;
    private IStartingOffsetsInitializer? _stoppingOffsets;

    // Per parallel instance; set in InitializeState/Open (the function object is copied per subtask).
    private IListState<KafkaPartitionOffset>? _offsetsState;
    private Dictionary<KafkaTopicPartition, long>? _restoredOffsets;
    private IListState<KafkaPartitionOffset>? _stoppingState;
    private Dictionary<KafkaTopicPartition, long>? _restoredStops;
    private StoppingOffsets? _end;
    private SortedDictionary<long, Dictionary<KafkaTopicPartition, long>>? _pendingCommits;
    private KafkaPartitionReader<T>? _reader;
    private KafkaSourceMetrics? _metrics;
    private ILogger? _logger;
    private IRuntimeContext? _context;
    private Task _lastCommit = Task.CompletedTask;
    private bool _commitToGroup;

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
        _subscriber = subscriber;
        _schema = schema;
        _properties = new Dictionary<string, string>(properties, StringComparer.Ordinal);
        DiscoveryInterval = KafkaProperties.DiscoveryInterval(_properties);
    }

    /// <summary>From <c>flink.partition-discovery.interval-millis</c>; null = discovery off.</summary>
    public TimeSpan? DiscoveryInterval { get; }

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
    public KafkaConsumer<T> SetCommitOffsetsOnCheckpoints(bool commitOnCheckpoints)
    {
        _commitOffsetsOnCheckpoints = commitOnCheckpoints;
        return this;
    }

    /// <summary>
    /// Generates timestamps and watermarks inside the source, per Kafka partition, and emits their
    /// minimum (Flink's <c>FlinkKafkaConsumer.assignTimestampsAndWatermarks</c>): a partition that
    /// is behind holds the watermark back, one without data for the strategy's idleness timeout
    /// (<see cref="WatermarkStrategy{T}.WithIdleness"/>) does not, and neither does a subtask
    /// without partitions. The assigner receives the Kafka record timestamp.
    /// </summary>
    public KafkaConsumer<T> AssignTimestampsAndWatermarks(WatermarkStrategy<T> strategy)
    {
        _watermarkStrategy = strategy ?? throw new ArgumentNullException(nameof(strategy));
        return this;
    }

    /// <summary>
    /// Makes the source bounded (the builder's <c>SetBounded</c>): each partition is read up to the
    /// offset <paramref name="stoppingOffsets"/> resolves when the partition is first assigned,
    /// and the source ends once all its partitions got there. Partition discovery is off then.
    /// </summary>
    internal KafkaConsumer<T> SetBounded(IStartingOffsetsInitializer stoppingOffsets)
    {
        _stoppingOffsets = stoppingOffsets ?? throw new ArgumentNullException(nameof(stoppingOffsets));
        return this;
    }

    /// <summary>Whether the source ends by itself (<see cref="SetBounded"/>).</summary>
    internal bool IsBounded => _stoppingOffsets is not null;

    /// <summary>Starts from <paramref name="initializer"/> (the builder's <c>SetStartingOffsets</c>).</summary>
    internal KafkaConsumer<T> SetStartingOffsets(IStartingOffsetsInitializer initializer) => Start(initializer);

    /// <inheritdoc />
    public void InitializeState(IFunctionInitializationContext context)
    {
        _offsetsState = context.OperatorStateStore.GetUnionListState(OffsetsState);
        _stoppingState = _stoppingOffsets is null ? null : context.OperatorStateStore.GetUnionListState(StoppingOffsetsState);
        _pendingCommits = [];
        _restoredOffsets = null;
        _restoredStops = null;
        if (context.IsRestored)
        {
            // Union state: every subtask sees every partition's offset and keeps the ones the
            // assigner gives it now — also at a different parallelism than at the checkpoint.
            var runtime = context.RuntimeContext;
            var restored = _offsetsState.Get().Select(o => (Partition: new KafkaTopicPartition(o.Topic, o.Partition), o.Offset)).ToList();
            // Partitions of topics the job no longer subscribes to (a changed topic list or
            // pattern) are dropped, as in Flink.
            var unsubscribed = restored.Where(o => !_subscriber.Matches(o.Partition.Topic)).Select(o => o.Partition).Distinct().ToList();
            if (unsubscribed.Count > 0 && runtime.SubtaskIndex == 0)
            {
                runtime.LoggerFactory.CreateLogger<KafkaConsumer<T>>().LogWarning(
                    "Restored offsets of {Count} partition(s) no longer match {Subscription} and are dropped: {Partitions}",
                    unsubscribed.Count, _subscriber.Describe(), string.Join(", ", unsubscribed));
            }

            _restoredOffsets = restored
                .Where(o => _subscriber.Matches(o.Partition.Topic))
                .Where(o => KafkaPartitionAssigner.IsAssignedTo(o.Partition, runtime.SubtaskIndex, runtime.NumberOfParallelSubtasks))
                .ToDictionary(o => o.Partition, o => o.Offset);
            _restoredStops = _stoppingState?.Get()
                .Select(o => (Partition: new KafkaTopicPartition(o.Topic, o.Partition), o.Offset))
                .Where(o => _restoredOffsets.ContainsKey(o.Partition))
                .ToDictionary(o => o.Partition, o => o.Offset);
        }
    }

    /// <inheritdoc />
    public void Open(IRuntimeContext context)
    {
        _context = context;
        _logger = context.LoggerFactory.CreateLogger($"Rivulet.Connectors.Kafka.Source.KafkaConsumer[{context.TaskNameWithSubtasks}]");
        _metrics = new KafkaSourceMetrics(context.OperatorName, context.SubtaskIndex);
        var client = KafkaProperties.ForClient(_properties, _logger);
        _properties.TryGetValue("group.id", out var groupId);
        bool autoCommit;
        if (context.IsCheckpointingEnabled)
        {
            // Flink: with checkpointing the client's periodic auto-commit is ignored.
            autoCommit = false;
            _commitToGroup = _commitOffsetsOnCheckpoints && !string.IsNullOrEmpty(groupId);
            if (_commitOffsetsOnCheckpoints && string.IsNullOrEmpty(groupId))
            {
                _logger.LogWarning("No group.id is set: offsets will not be committed to Kafka on checkpoints (they are still kept in the checkpoints).");
            }
        }
        else
        {
            autoCommit = !string.IsNullOrEmpty(groupId) && (!client.TryGetValue("enable.auto.commit", out var enabled) || ParseSetting(() => KafkaProperties.ParseBoolean("enable.auto.commit", enabled)));
            _commitToGroup = false;
        }

        _reader = ParseSetting(() => new KafkaPartitionReader<T>(client, string.IsNullOrEmpty(groupId) ? null : groupId, autoCommit, _schema, _metrics, _logger));
    }

    /// <summary>Properties the client (or Rivulet) refuses fail the job at once: a restart would meet them again.</summary>
    private static TResult ParseSetting<TResult>(Func<TResult> create)
    {
        try
        {
            return create();
        }
        catch (ArgumentException e)
        {
            throw new SuppressRestartsException(e);
        }
    }

    /// <inheritdoc />
    public Task RunAsync(ISourceContext<T> context, CancellationToken cancellationToken)
    {
        // The whole loop runs on the source subtask's own thread (no awaits), as the mailbox model wants.
        Run(context, cancellationToken);
        return Task.CompletedTask;
    }

    private void Run(ISourceContext<T> context, CancellationToken cancellationToken)
    {
        var runtime = _context!;
        var reader = _reader!;
        var logger = _logger!;
        var known = new HashSet<KafkaTopicPartition>();
        if (_watermarkStrategy?.IdleTimeout is not null && runtime.AutoWatermarkInterval <= TimeSpan.Zero)
        {
            throw new InvalidOperationException(
                $"{runtime.TaskNameWithSubtasks}: the watermark strategy's WithIdleness needs periodic watermarks, but the auto-watermark interval is zero; set StreamExecutionEnvironment.SetAutoWatermarkInterval.");
        }

        var initial = Owned(reader.DiscoverPartitions(_subscriber, MetadataTimeout, requireSubscribedTopics: true), runtime);
        if (initial.Count == 0 && !_subscriber.CanDiscoverNewTopics && DiscoveryInterval is null && _restoredOffsets is not { Count: > 0 })
        {
            logger.LogInformation("Subtask {Subtask} has no partitions of {Subscription} to read.", runtime.SubtaskIndex, _subscriber.Describe());
        }

        var start = new Dictionary<KafkaTopicPartition, long>(_restoredOffsets ?? []);
        var fresh = initial.Where(p => !start.ContainsKey(p)).ToList();
        if (fresh.Count > 0)
        {
            // After a restore, partitions the checkpoint does not know are new: read them from the
            // earliest offset (Flink). On a fresh start the configured start position decides.
            IStartingOffsetsInitializer initializer = _restoredOffsets is null ? _startingOffsets : new EarliestOffsetsInitializer();
            foreach (var (partition, offset) in initializer.Resolve(fresh, reader.OffsetsReader(MetadataTimeout)))
            {
                start[partition] = offset;
            }
        }

        reader.Assign(start);
        known.UnionWith(start.Keys);
        logger.LogInformation("Subtask {Subtask} reads {Count} partition(s) of {Subscription}", runtime.SubtaskIndex, start.Count, _subscriber.Describe());
        var watermarks = _watermarkStrategy is null ? null : new SplitWatermarks<KafkaTopicPartition, T>(_watermarkStrategy, context, runtime.AutoWatermarkInterval, runtime.TimeProvider);
        foreach (var partition in start.Keys)
        {
            watermarks?.AddSplit(partition);
        }

        if (start.Count == 0)
        {
            context.MarkAsTemporarilyIdle();
        }

        var end = _stoppingOffsets is null ? null : ResolveStops(start, reader, logger, runtime);
        _end = end;
        void FinishPartition(KafkaTopicPartition partition)
        {
            if (end!.Finish(partition))
            {
                reader.Finish(partition);
                watermarks?.RemoveSplit(partition);
            }
        }

        foreach (var partition in end?.Stops.Keys ?? [])
        {
            if (end!.Reached(partition, start[partition]))
            {
                FinishPartition(partition);
            }
        }

        // A bounded source reads a fixed set of partitions: no discovery.
        var nextDiscovery = DiscoveryInterval is { } interval && end is null ? runtime.TimeProvider.GetUtcNow() + interval : DateTimeOffset.MaxValue;
        var skippedInARow = 0L;
        while (!cancellationToken.IsCancellationRequested)
        {
            if (end is { AllFinished: true })
            {
                logger.LogInformation("Subtask {Subtask} read its {Count} partition(s) up to their stopping offsets; the bounded source ends", runtime.SubtaskIndex, end.Stops.Count);
                return;
            }

            var fetched = reader.Positions.Count == 0 ? FetchedRecord<T>.None : reader.Poll(PollTimeout);
            switch (fetched.Outcome)
            {
                case FetchOutcome.Element when end is not null && (end.IsFinished(fetched.Partition) || end.Reached(fetched.Partition, fetched.Offset)):
                    // At or past the stopping offset (or fetched before the partition finished): not read.
                    FinishPartition(fetched.Partition);
                    break;
                case FetchOutcome.Element:
                    if (watermarks is null)
                    {
                        context.CollectWithTimestamp(fetched.Element!, fetched.TimestampMs);
                    }
                    else
                    {
                        watermarks.Collect(fetched.Partition, fetched.Element!, fetched.TimestampMs);
                    }

                    reader.Advance(fetched.Partition, fetched.Offset);
                    if (end is not null && end.Reached(fetched.Partition, fetched.Offset + 1))
                    {
                        FinishPartition(fetched.Partition);
                    }

                    break;
                case FetchOutcome.EndOfStream:
                    logger.LogInformation("The deserialization schema ended the stream at {Partition} offset {Offset}", fetched.Partition, fetched.Offset);
                    return;
                case FetchOutcome.Skipped:
                    if (end is not null && end.Reached(fetched.Partition, fetched.Offset + 1))
                    {
                        FinishPartition(fetched.Partition);
                    }

                    // A long run of skipped records must not hold back checkpoints and timers.
                    if (++skippedInARow % 128 == 0)
                    {
                        context.YieldToRuntime();
                    }

                    break;
                case FetchOutcome.Nothing:
                    if (reader.Positions.Count == 0)
                    {
                        // Waits on the subtask's own thread: an await would move the loop to the thread pool for good.
                        cancellationToken.WaitHandle.WaitOne(PollTimeout);
                    }

                    context.YieldToRuntime();
                    reader.RefreshHighWatermarks();
                    // Transaction markers and aborted records end a partition without a record at
                    // its last offsets: the client's position says when it got past them.
                    foreach (var partition in end?.Unfinished.ToList() ?? [])
                    {
                        if (end!.Reached(partition, reader.FetchPosition(partition)))
                        {
                            FinishPartition(partition);
                        }
                    }

                    break;
            }

            watermarks?.EmitPeriodicIfDue();
            // Only with discovery on: reading the clock after every record was a tenth of the source's time.
            if (DiscoveryInterval is not null && runtime.TimeProvider.GetUtcNow() >= nextDiscovery)
            {
                nextDiscovery = runtime.TimeProvider.GetUtcNow() + DiscoveryInterval!.Value;
                var discovered = Owned(reader.DiscoverPartitions(_subscriber, MetadataTimeout), runtime).Where(p => !known.Contains(p)).ToList();
                if (discovered.Count > 0)
                {
                    var offsets = new EarliestOffsetsInitializer().Resolve(discovered, reader.OffsetsReader(MetadataTimeout));
                    logger.LogInformation("Discovered {Count} new partition(s): {Partitions}", discovered.Count, string.Join(", ", discovered));
                    reader.Assign(offsets);
                    known.UnionWith(discovered);
                    foreach (var partition in discovered)
                    {
                        watermarks?.AddSplit(partition);
                    }

                }
            }
        }
    }

    /// <summary>The stopping offset of every partition the subtask starts with: restored ones as checkpointed, the others resolved now.</summary>
    private StoppingOffsets ResolveStops(Dictionary<KafkaTopicPartition, long> start, KafkaPartitionReader<T> reader, ILogger logger, IRuntimeContext runtime)
    {
        var stops = new Dictionary<KafkaTopicPartition, long>();
        foreach (var partition in start.Keys)
        {
            if (_restoredStops is not null && _restoredStops.TryGetValue(partition, out var restored))
            {
                stops[partition] = restored;
            }
        }

        var unresolved = start.Keys.Where(p => !stops.ContainsKey(p)).ToList();
        if (unresolved.Count > 0)
        {
            foreach (var (partition, offset) in _stoppingOffsets!.Resolve(unresolved, reader.OffsetsReader(MetadataTimeout)))
            {
                stops[partition] = offset;
            }
        }

        logger.LogInformation("Subtask {Subtask} is bounded ({Stopping}): it stops at {Stops}", runtime.SubtaskIndex, _stoppingOffsets!.Describe(),
            string.Join(", ", stops.OrderBy(s => s.Key).Select(s => $"{s.Key}@{s.Value}")));
        return new StoppingOffsets(stops);
    }

    /// <inheritdoc />
    public void SnapshotState(IFunctionSnapshotContext context)
    {
        var positions = new Dictionary<KafkaTopicPartition, long>(_reader?.Positions ?? (IReadOnlyDictionary<KafkaTopicPartition, long>)new Dictionary<KafkaTopicPartition, long>());
        if (_reader is null && _restoredOffsets is not null)
        {
            positions = new Dictionary<KafkaTopicPartition, long>(_restoredOffsets);
        }

        _offsetsState!.Update(positions.Select(p => new KafkaPartitionOffset(p.Key.Topic, p.Key.Partition, p.Value)));
        if (_stoppingState is not null)
        {
            var stops = _end?.Stops ?? (IReadOnlyDictionary<KafkaTopicPartition, long>?)_restoredStops ?? new Dictionary<KafkaTopicPartition, long>();
            _stoppingState.Update(stops.Select(p => new KafkaPartitionOffset(p.Key.Topic, p.Key.Partition, p.Value)));
        }
        if (_commitToGroup)
        {
            _pendingCommits![context.CheckpointId] = positions;
        }
    }

    /// <inheritdoc />
    public void NotifyCheckpointComplete(long checkpointId)
    {
        if (!_commitToGroup || _pendingCommits is null || !_pendingCommits.TryGetValue(checkpointId, out var offsets))
        {
            return;
        }

        foreach (var older in _pendingCommits.Keys.Where(k => k <= checkpointId).ToList())
        {
            _pendingCommits.Remove(older);
        }

        // Committed offsets are for monitoring only; committing off the subtask's loop keeps a slow
        // broker from stalling the stream. Commits run one after another, oldest first.
        var reader = _reader!;
        var metrics = _metrics!;
        var logger = _logger!;
        _lastCommit = _lastCommit.ContinueWith(_ =>
        {
            try
            {
                reader.Commit(offsets);
                metrics.CommitSucceeded(offsets);
            }
            catch (Exception e)
            {
                metrics.CommitFailed();
                logger.LogWarning(e, "Committing offsets of checkpoint {CheckpointId} to Kafka failed; the checkpoint itself is unaffected", checkpointId);
            }
        }, CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
    }

    /// <inheritdoc />
    public void Close() => Dispose();

    /// <inheritdoc />
    public void Dispose()
    {
        var reader = _reader;
        _reader = null;
        if (reader is not null)
        {
            // An offset commit may still be running on the consumer; disposing it underneath would
            // crash in native code. Give the commit a moment, else dispose once it has finished.
            var commit = _lastCommit;
            if (commit.Wait(TimeSpan.FromSeconds(5)))
            {
                reader.Dispose();
            }
            else
            {
                commit.ContinueWith(_ => reader.Dispose(), CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
            }
        }

        _metrics?.Dispose();
        _metrics = null;
    }

    private KafkaConsumer<T> Start(IStartingOffsetsInitializer initializer)
    {
        _startingOffsets = initializer;
        return this;
    }

    private static List<KafkaTopicPartition> Owned(IReadOnlyList<KafkaTopicPartition> partitions, IRuntimeContext runtime) =>
        [.. partitions.Where(p => KafkaPartitionAssigner.IsAssignedTo(p, runtime.SubtaskIndex, runtime.NumberOfParallelSubtasks))];
}
