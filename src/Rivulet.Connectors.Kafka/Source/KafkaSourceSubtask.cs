using Microsoft.Extensions.Logging;
using Rivulet.Connectors.Kafka.Source.Initializer;
using Rivulet.Connectors.Kafka.Source.Metrics;
using Rivulet.Connectors.Kafka.Source.Reader;
using Rivulet.Core.Api.Functions;
using Rivulet.Core.Recovery;
using Rivulet.Core.Time;

namespace Rivulet.Connectors.Kafka.Source;

/// <summary>
/// One parallel instance of a Kafka source, created when its subtask opens: the client, the read
/// loop, its positions for checkpoints and the offset commits to the group. Everything here
/// belongs to this subtask alone; the configuration it reads is shared and immutable.
/// </summary>
internal sealed class KafkaSourceSubtask<T> : IDisposable
{
    private static readonly TimeSpan MetadataTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan PollTimeout = TimeSpan.FromMilliseconds(100);

    private readonly KafkaSourceSettings<T> _settings;
    private readonly KafkaSourceCheckpointState _state;
    private readonly IRuntimeContext _runtime;
    private readonly ILogger _logger;
    private readonly KafkaSourceMetrics _metrics;
    private readonly KafkaPartitionReader<T> _reader;
    private readonly bool _commitToGroup;
    private readonly SortedDictionary<long, Dictionary<KafkaTopicPartition, long>> _pendingCommits = [];
    private Task _lastCommit = Task.CompletedTask;
    // Set once the read loop has assigned its start positions; until then checkpoints keep the restored ones.
    private bool _assigned;
    // A bounded source's stops, once resolved by the read loop.
    private StoppingOffsets? _end;
    private bool _disposed;

    /// <exception cref="SuppressRestartsException">The client refuses a property: a restart would meet it again.</exception>
    public KafkaSourceSubtask(KafkaSourceSettings<T> settings, KafkaSourceCheckpointState state, IRuntimeContext runtime)
    {
        _settings = settings;
        _state = state;
        _runtime = runtime;
        _logger = runtime.LoggerFactory.CreateLogger($"Rivulet.Connectors.Kafka.Source.KafkaConsumer[{runtime.TaskNameWithSubtasks}]");
        var client = KafkaProperties.ForClient(settings.Properties, _logger);
        settings.Properties.TryGetValue("group.id", out var groupId);
        bool autoCommit;
        if (runtime.IsCheckpointingEnabled)
        {
            // Flink: with checkpointing the client's periodic auto-commit is ignored.
            autoCommit = false;
            _commitToGroup = settings.CommitOffsetsOnCheckpoints && !string.IsNullOrEmpty(groupId);
            if (settings.CommitOffsetsOnCheckpoints && string.IsNullOrEmpty(groupId))
            {
                _logger.LogWarning("No group.id is set: offsets will not be committed to Kafka on checkpoints (they are still kept in the checkpoints).");
            }
        }
        else
        {
            autoCommit = !string.IsNullOrEmpty(groupId) && (!client.TryGetValue("enable.auto.commit", out var enabled) || ParseSetting(() => KafkaProperties.ParseBoolean("enable.auto.commit", enabled)));
        }

        _metrics = new KafkaSourceMetrics(runtime.OperatorName, runtime.SubtaskIndex);
        try
        {
            _reader = ParseSetting(() => new KafkaPartitionReader<T>(client, string.IsNullOrEmpty(groupId) ? null : groupId, autoCommit, settings.Schema, _metrics, _logger));
        }
        catch
        {
            _metrics.Dispose();
            throw;
        }
    }

    /// <summary>The read loop; it runs on the source subtask's own thread (no awaits), as the mailbox model wants.</summary>
    public void Run(ISourceContext<T> context, CancellationToken cancellationToken)
    {
        var subscriber = _settings.Subscriber;
        var strategy = _settings.WatermarkStrategy;
        if (strategy?.IdleTimeout is not null && _runtime.AutoWatermarkInterval <= TimeSpan.Zero)
        {
            throw new InvalidOperationException(
                $"{_runtime.TaskNameWithSubtasks}: the watermark strategy's WithIdleness needs periodic watermarks, but the auto-watermark interval is zero; set StreamExecutionEnvironment.SetAutoWatermarkInterval.");
        }

        var restored = _state.RestoredOffsets;
        var initial = Owned(_reader.DiscoverPartitions(subscriber, MetadataTimeout, requireSubscribedTopics: true));
        if (initial.Count == 0 && !subscriber.CanDiscoverNewTopics && _settings.DiscoveryInterval is null && restored is not { Count: > 0 })
        {
            _logger.LogInformation("Subtask {Subtask} has no partitions of {Subscription} to read.", _runtime.SubtaskIndex, subscriber.Describe());
        }

        var start = new Dictionary<KafkaTopicPartition, long>(restored ?? new Dictionary<KafkaTopicPartition, long>());
        var fresh = initial.Where(p => !start.ContainsKey(p)).ToList();
        if (fresh.Count > 0)
        {
            // After a restore, partitions the checkpoint does not know are new: read them from the
            // earliest offset (Flink). On a fresh start the configured start position decides.
            var initializer = restored is null ? _settings.StartingOffsets : new EarliestOffsetsInitializer();
            foreach (var (partition, offset) in initializer.Resolve(fresh, _reader.OffsetsReader(MetadataTimeout)))
            {
                start[partition] = offset;
            }
        }

        _reader.Assign(start);
        _assigned = true;
        var known = new HashSet<KafkaTopicPartition>(start.Keys);
        _logger.LogInformation("Subtask {Subtask} reads {Count} partition(s) of {Subscription}", _runtime.SubtaskIndex, start.Count, subscriber.Describe());
        var watermarks = strategy is null ? null : new SplitWatermarks<KafkaTopicPartition, T>(strategy, context, _runtime.AutoWatermarkInterval, _runtime.TimeProvider);
        foreach (var partition in start.Keys)
        {
            watermarks?.AddSplit(partition);
        }

        if (start.Count == 0)
        {
            context.MarkAsTemporarilyIdle();
        }

        var end = _settings.StoppingOffsets is { } stopping ? ResolveStops(start, stopping) : null;
        _end = end;
        void FinishPartition(KafkaTopicPartition partition)
        {
            if (end!.Finish(partition))
            {
                _reader.Finish(partition);
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
        var discoveryInterval = end is null ? _settings.DiscoveryInterval : null;
        var nextDiscovery = discoveryInterval is { } interval ? _runtime.TimeProvider.GetUtcNow() + interval : DateTimeOffset.MaxValue;
        var skippedInARow = 0L;
        while (!cancellationToken.IsCancellationRequested)
        {
            if (end is { AllFinished: true })
            {
                _logger.LogInformation("Subtask {Subtask} read its {Count} partition(s) up to their stopping offsets; the bounded source ends", _runtime.SubtaskIndex, end.Stops.Count);
                return;
            }

            var fetched = _reader.Positions.Count == 0 ? FetchedRecord<T>.None : _reader.Poll(PollTimeout);
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

                    _reader.Advance(fetched.Partition, fetched.Offset);
                    if (end is not null && end.Reached(fetched.Partition, fetched.Offset + 1))
                    {
                        FinishPartition(fetched.Partition);
                    }

                    break;
                case FetchOutcome.EndOfStream:
                    _logger.LogInformation("The deserialization schema ended the stream at {Partition} offset {Offset}", fetched.Partition, fetched.Offset);
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
                    if (_reader.Positions.Count == 0)
                    {
                        // Waits on the subtask's own thread: an await would move the loop to the thread pool for good.
                        cancellationToken.WaitHandle.WaitOne(PollTimeout);
                    }

                    context.YieldToRuntime();
                    _reader.RefreshHighWatermarks();
                    // Transaction markers and aborted records end a partition without a record at
                    // its last offsets: the client's position says when it got past them.
                    foreach (var partition in end?.Unfinished.ToList() ?? [])
                    {
                        if (end!.Reached(partition, _reader.FetchPosition(partition)))
                        {
                            FinishPartition(partition);
                        }
                    }

                    break;
            }

            watermarks?.EmitPeriodicIfDue();
            // Only with discovery on: reading the clock after every record was a tenth of the source's time.
            if (discoveryInterval is { } every && _runtime.TimeProvider.GetUtcNow() >= nextDiscovery)
            {
                nextDiscovery = _runtime.TimeProvider.GetUtcNow() + every;
                var discovered = Owned(_reader.DiscoverPartitions(subscriber, MetadataTimeout)).Where(p => !known.Contains(p)).ToList();
                if (discovered.Count > 0)
                {
                    var offsets = new EarliestOffsetsInitializer().Resolve(discovered, _reader.OffsetsReader(MetadataTimeout));
                    _logger.LogInformation("Discovered {Count} new partition(s): {Partitions}", discovered.Count, string.Join(", ", discovered));
                    _reader.Assign(offsets);
                    known.UnionWith(discovered);
                    foreach (var partition in discovered)
                    {
                        watermarks?.AddSplit(partition);
                    }
                }
            }
        }
    }

    /// <summary>Puts the positions (and stops) into the checkpoint; remembers them for the commit when it completes.</summary>
    public void SnapshotState(long checkpointId)
    {
        var positions = new Dictionary<KafkaTopicPartition, long>(_assigned ? _reader.Positions : _state.RestoredOffsets ?? new Dictionary<KafkaTopicPartition, long>());
        _state.Update(positions, _end?.Stops ?? _state.RestoredStops);
        if (_commitToGroup)
        {
            _pendingCommits[checkpointId] = positions;
        }
    }

    /// <summary>Commits the completed checkpoint's offsets to the group, off the read loop (for monitoring only).</summary>
    public void NotifyCheckpointComplete(long checkpointId)
    {
        if (!_commitToGroup || _disposed || !_pendingCommits.TryGetValue(checkpointId, out var offsets))
        {
            return;
        }

        foreach (var older in _pendingCommits.Keys.Where(k => k <= checkpointId).ToList())
        {
            _pendingCommits.Remove(older);
        }

        // Committing off the subtask's loop keeps a slow broker from stalling the stream. Commits
        // run one after another, oldest first.
        _lastCommit = _lastCommit.ContinueWith(_ =>
        {
            try
            {
                _reader.Commit(offsets);
                _metrics.CommitSucceeded(offsets);
            }
            catch (Exception e)
            {
                _metrics.CommitFailed();
                _logger.LogWarning(e, "Committing offsets of checkpoint {CheckpointId} to Kafka failed; the checkpoint itself is unaffected", checkpointId);
            }
        }, CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        // An offset commit may still be running on the consumer; disposing it underneath would
        // crash in native code. Give the commit a moment, else dispose once it has finished.
        var commit = _lastCommit;
        if (commit.Wait(TimeSpan.FromSeconds(5)))
        {
            _reader.Dispose();
        }
        else
        {
            var reader = _reader;
            commit.ContinueWith(_ => reader.Dispose(), CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
        }

        _metrics.Dispose();
    }

    /// <summary>The stopping offset of every partition the subtask starts with: restored ones as checkpointed, the others resolved now.</summary>
    private StoppingOffsets ResolveStops(Dictionary<KafkaTopicPartition, long> start, IStartingOffsetsInitializer stopping)
    {
        var stops = new Dictionary<KafkaTopicPartition, long>();
        foreach (var partition in start.Keys)
        {
            if (_state.RestoredStops.TryGetValue(partition, out var restored))
            {
                stops[partition] = restored;
            }
        }

        var unresolved = start.Keys.Where(p => !stops.ContainsKey(p)).ToList();
        if (unresolved.Count > 0)
        {
            foreach (var (partition, offset) in stopping.Resolve(unresolved, _reader.OffsetsReader(MetadataTimeout)))
            {
                stops[partition] = offset;
            }
        }

        _logger.LogInformation("Subtask {Subtask} is bounded ({Stopping}): it stops at {Stops}", _runtime.SubtaskIndex, stopping.Describe(),
            string.Join(", ", stops.OrderBy(s => s.Key).Select(s => $"{s.Key}@{s.Value}")));
        return new StoppingOffsets(stops);
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

    private List<KafkaTopicPartition> Owned(IReadOnlyList<KafkaTopicPartition> partitions) =>
        [.. partitions.Where(p => KafkaPartitionAssigner.IsAssignedTo(p, _runtime.SubtaskIndex, _runtime.NumberOfParallelSubtasks))];
}
