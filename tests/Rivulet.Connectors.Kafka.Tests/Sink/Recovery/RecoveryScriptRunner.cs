using Confluent.Kafka;
using Rivulet.Connectors.Kafka.Protocol;
using Rivulet.Connectors.Kafka.Sink;
using Rivulet.Connectors.Kafka.Sink.Metrics;
using Rivulet.Connectors.Kafka.Sink.Partitioning;
using Rivulet.Connectors.Kafka.Sink.Serialization;
using Rivulet.Connectors.Kafka.Sink.Transactions;
using Rivulet.Connectors.Kafka.Sink.Writer;
using Rivulet.Core.Serialization;
using Rivulet.Testing.Kafka;

namespace Rivulet.Connectors.Kafka.Tests.Sink.Recovery;

/// <summary>
/// Plays a <see cref="RecoveryScenario"/> against the test broker with the real exactly-once
/// writer, recovery client and probe, as the engine drives them: every attempt restores the
/// latest completed checkpoint (or the one before, when the scenario says so) and runs the same
/// script of writes and checkpoints; checkpoint ids only grow, across attempts too. Then it reads
/// the topic as a read_committed reader and compares with the model: exactly the records of the
/// transactions some completed checkpoint lists, each once, and no transaction left open.
/// </summary>
/// <remarks>
/// The script (W = write two records, S = checkpoint barrier, C = the checkpoint completes,
/// N = completion reaches the sink): <c>W S C N · S W S C N · W S C W</c>, and the last attempt
/// adds <c>S C N</c>. It covers a plain commit, an empty transaction, two pending transactions
/// where only the later checkpoint completes, a completion not yet notified, transactional ids
/// retired and reused, and a transaction open at the end. The kill points are each S, C and N,
/// and every crash point inside the writer (each recovery commit, each fenced id, the start, each
/// commit, each reused id).
/// </remarks>
internal sealed class RecoveryScriptRunner : IDisposable
{
    public const int PoolSize = 5;
    private readonly KafkaTestCluster _cluster;
    private readonly string _bootstrap;
    private readonly string _topic;
    private readonly string _prefix;
    private readonly bool _ignoreLost;
    private readonly List<CompletedSinkCheckpoint> _completed = [];
    private readonly Dictionary<long, List<string>> _recordsOf = [];
    private readonly List<IDisposable> _abandoned = [];
    private readonly KafkaSinkMetrics _metrics;
    private long _nextCheckpointId = 1;
    private int _nextValue;
    private int _attempt;
    private (long Id, IReadOnlyList<PendingTransaction> Pending)? _lastSnapshot;
    private long? _lastCompleted;

    // Restoring an older checkpoint abandons the completed checkpoints after it (a new lineage).
    private long? _abandonedAfter;
    private int _abandonedFrom;

    public RecoveryScriptRunner(KafkaTestCluster cluster, bool ignoreLost)
    {
        _cluster = cluster;
        _bootstrap = cluster.BootstrapServers;
        _topic = KafkaTestClusterFixture.UniqueTopic("recovery");
        _prefix = "rc-" + Guid.NewGuid().ToString("N")[..10];
        _ignoreLost = ignoreLost;
        _metrics = new KafkaSinkMetrics(_prefix, 0);
        cluster.CreateTopic(_topic, 1);
    }

    /// <summary>Steps each attempt took, in order (the last one ran to the end).</summary>
    public List<int> StepsPerAttempt { get; } = [];

    /// <summary>For each attempt meant to be killed: whether it reached its kill step (false: it ran the whole script and was killed after it).</summary>
    public List<bool> DiedAtKillStep { get; } = [];

    /// <summary>Transactions some completed checkpoint lists that a loss event aborted.</summary>
    public HashSet<long> LostCheckpointTransactions { get; } = [];

    /// <summary>The loss the run stopped at, if recovery refused to go on.</summary>
    public TransactionLostException? RefusedLoss { get; private set; }

    public void Run(RecoveryScenario scenario)
    {
        foreach (var killed in scenario.Kills)
        {
            if (!RunAttempt(killed.KillAtStep, restoreOlder: false, final: false))
            {
                return;
            }

            ApplyDowntimeEvent(killed.LossAfter);
        }

        RunAttempt(int.MaxValue, scenario.FinalRestoresOlder, final: true);
    }

    /// <summary>
    /// Checks the run against the model; returns what is wrong, or null. A refused loss must name a
    /// transaction the downtime event really made lost; otherwise every record of every transaction a
    /// completed checkpoint lists is visible once (but those lost and skipped), nothing else is, and
    /// the partition has no open transaction.
    /// </summary>
    public string? Check()
    {
        if (RefusedLoss is { } refused)
        {
            return LostCheckpointTransactions.Contains(refused.Transaction.CheckpointId)
                ? null
                : $"recovery declared transaction of checkpoint {refused.Transaction.CheckpointId} lost, but nothing aborted it: {refused.Message}";
        }

        // Every transaction of the job's checkpoint lineage is visible once. Those only an abandoned
        // checkpoint lists (completed after the older one restored last) are visible once or not at
        // all, as a whole; nothing else is visible.
        var lineage = _completed.Where((c, index) => _abandonedAfter is not { } fork || c.CheckpointId <= fork || index >= _abandonedFrom).ToList();
        var listed = lineage.SelectMany(c => c.Pending).Select(p => p.CheckpointId).ToHashSet();
        var optional = _completed.Except(lineage).SelectMany(c => c.Pending).Select(p => p.CheckpointId).Where(id => !listed.Contains(id)).ToHashSet();
        var visible = SinkTestSupport.ReadAll(_bootstrap, _topic, 1, IsolationLevel.ReadCommitted).Select(r => SinkTestSupport.Text(r.Message.Value)).ToList();
        var expected = listed.Where(id => !LostCheckpointTransactions.Contains(id)).SelectMany(id => _recordsOf.GetValueOrDefault(id, [])).ToList();
        foreach (var id in optional)
        {
            var records = _recordsOf.GetValueOrDefault(id, []);
            var shown = records.Count(visible.Contains);
            if (shown == records.Count)
            {
                expected.AddRange(records);
            }
            else if (shown > 0)
            {
                return $"only {shown} of the {records.Count} records of the transaction of abandoned checkpoint {id} are visible";
            }
        }

        var problems = new List<string>();
        var missing = expected.Except(visible).ToList();
        var unexpected = visible.Except(expected).ToList();
        var duplicated = visible.GroupBy(v => v).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        if (missing.Count > 0)
        {
            problems.Add($"missing {string.Join(",", missing)}");
        }

        if (unexpected.Count > 0)
        {
            problems.Add($"visible but in no completed checkpoint {string.Join(",", unexpected)}");
        }

        if (duplicated.Count > 0)
        {
            problems.Add($"duplicated {string.Join(",", duplicated)}");
        }

        var end = SinkTestSupport.EndOffset(_bootstrap, _topic, 0);
        var stable = SinkTestSupport.LastStableOffset(_bootstrap, _topic, 0);
        if (stable != end)
        {
            problems.Add($"a transaction is left open (last stable offset {stable}, end {end})");
        }

        if (LostCheckpointTransactions.Any(listed.Contains) && !_ignoreLost)
        {
            problems.Add("a completed checkpoint's transaction was lost, yet recovery went on without failing");
        }

        return problems.Count == 0 ? null : string.Join("; ", problems);
    }

    public void Dispose()
    {
        // Only now, after the check: closing an abandoned writer aborts what it had open.
        foreach (var abandoned in _abandoned)
        {
            try
            {
                abandoned.Dispose();
            }
            catch (Exception)
            {
                // Fenced long ago; nothing to clean up at the broker.
            }
        }

        _metrics.Dispose();
    }

    /// <summary>Runs one attempt; false when its recovery refused to go on (a lost transaction).</summary>
    private bool RunAttempt(int killAtStep, bool restoreOlder, bool final)
    {
        _attempt++;
        _lastSnapshot = null;
        var steps = new StepCounter(killAtStep);
        var restoreFrom = restoreOlder && _completed.Count >= 2 ? _completed[^2] : _completed.LastOrDefault();
        if (restoreOlder && restoreFrom is not null)
        {
            _abandonedAfter = restoreFrom.CheckpointId;
            _abandonedFrom = _completed.Count;
        }
        var restored = restoreFrom is null
            ? RestoredSinkState.None(1, PoolSize)
            : RestoredSinkState.ForSubtask(restoreFrom.Pending, _prefix, 0, 1, 1, PoolSize, restoreFrom.CheckpointId);
        TransactionalKafkaWriter<string>? writer = null;
        var buffer = new List<string>();
        try
        {
            writer = TransactionalKafkaWriter<string>.Start(
                SinkTestSupport.Settings(_bootstrap, _topic, Semantic.ExactlyOnce, p =>
                {
                    p["transaction.timeout.ms"] = "60000";
                    p["statistics.interval.ms"] = "50";
                }) with
                {
                    // One parallelism throughout: no higher-parallelism ids to fence (TransactionalRestoreTests covers those).
                    TransactionalIdPrefix = _prefix, ProducerPoolSize = PoolSize, IgnoreLostTransactions = _ignoreLost, CrashPoints = steps, SafeScaleDownFactor = 1,
                },
                new ValueOnlySerializationSchema<string>(new SimpleStringSchema()), new FixedPartitioner<string>().Opened(0, 1), _metrics, SinkTestSupport.Logger,
                0, 1, restored, new TransactionRecoveryClient(new Dictionary<string, string> { ["bootstrap.servers"] = _bootstrap }, TimeSpan.FromSeconds(20)),
                SinkTestSupport.Probe(_bootstrap), CancellationToken.None);

            void W()
            {
                for (var i = 0; i < 2; i++)
                {
                    var value = $"a{_attempt}-{_nextValue++}";
                    writer.Write(value, null);
                    buffer.Add(value);
                }
            }

            void S()
            {
                steps.Step("barrier");
                var id = _nextCheckpointId++;
                var pending = writer.SnapshotState(id);
                _recordsOf[id] = [.. buffer];
                buffer.Clear();
                _lastSnapshot = (id, pending);
            }

            void C()
            {
                steps.Step("complete");
                var (id, pending) = _lastSnapshot!.Value;
                _completed.Add(new CompletedSinkCheckpoint(id, pending));
                _lastCompleted = id;
            }

            void N()
            {
                steps.Step("notify");
                writer.NotifyCheckpointComplete(_lastCompleted!.Value);
            }

            W(); S(); C(); N();
            S(); W(); S(); C(); N();
            W(); S(); C(); W();
            if (final)
            {
                S(); C(); N();
                writer.Dispose();
            }
            else
            {
                // Killed after the script: whatever it had open stays open.
                DiedAtKillStep.Add(false);
                _abandoned.Add(writer);
            }
        }
        catch (SimulatedCrash)
        {
            DiedAtKillStep.Add(true);
            if (writer is not null)
            {
                _abandoned.Add(writer);
            }
        }
        catch (TransactionLostException lost)
        {
            StepsPerAttempt.Add(steps.Steps);
            RefusedLoss = lost;
            return false;
        }

        StepsPerAttempt.Add(steps.Steps);
        return true;
    }

    private void ApplyDowntimeEvent(DowntimeEvent loss)
    {
        if (loss == DowntimeEvent.None || _completed.LastOrDefault() is not { } latest || latest.Pending.FirstOrDefault(p => p.RecordCount > 0) is not { } victim)
        {
            return;
        }

        // The victim is the oldest transaction the latest completed checkpoint lists, and the attempt
        // that wrote it fenced everything older that was left open: the last stable offset stops at
        // its record exactly when it is still open. A committed one stays committed.
        var open = SinkTestSupport.LastStableOffset(_bootstrap, _topic, 0) <= victim.FirstRecord!.Offset;
        if (loss == DowntimeEvent.TimeoutAbort)
        {
            if (open)
            {
                _cluster.ExpireTransaction(victim.TransactionalId);
            }
        }
        else
        {
            using var stranger = new ProducerBuilder<byte[], byte[]>(new ProducerConfig
            {
                BootstrapServers = _bootstrap,
                TransactionalId = victim.TransactionalId,
                TransactionTimeoutMs = 60_000,
            }).Build();
            stranger.InitTransactions(TimeSpan.FromSeconds(20));
        }

        if (open)
        {
            LostCheckpointTransactions.Add(victim.CheckpointId);
        }
    }
}
