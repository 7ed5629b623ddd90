using Confluent.Kafka;
using Microsoft.Extensions.Logging;
using Rivulet.Connectors.Kafka.Sink.Metrics;
using Rivulet.Connectors.Kafka.Sink.Partitioning;
using Rivulet.Connectors.Kafka.Sink.Serialization;
using Rivulet.Connectors.Kafka.Sink.Testing;
using Rivulet.Connectors.Kafka.Sink.Transactions;

namespace Rivulet.Connectors.Kafka.Sink.Writer;

/// <summary>
/// EXACTLY_ONCE: Kafka transactions in a two-phase commit with checkpoints. Records go into the
/// open transaction; at a barrier it is flushed (pre-commit), recorded in the checkpoint and the
/// next transaction opens on another producer of the pool; when the checkpoint completes, its
/// transactions commit.
/// </summary>
/// <remarks>
/// A transactional id is reused only after its transaction committed and a later checkpoint that
/// no longer lists it completed. Restoring from the latest completed checkpoint therefore never
/// finds a listed transaction's id busy with a newer transaction of the same epoch, which a
/// recovery commit would otherwise commit by mistake. The ids whose restored transactions recovery
/// committed through EndTxn follow the same rule: their producers are created (fencing the id)
/// only when they are reused, see <see cref="RestoredTransactionRecovery"/>.
/// </remarks>
internal sealed class TransactionalKafkaWriter<T> : IKafkaSinkWriter<T>
{
    /// <summary>How many fences run at once: enough to overlap the broker round trips, few enough for a small machine.</summary>
    private const int FencingThreads = 4;

    private readonly KafkaSinkSettings _settings;
    private readonly KafkaSinkMetrics _metrics;
    private readonly ILogger _logger;
    private readonly int _subtaskIndex;
    private readonly CancellationToken _cancellation;

    // A null producer is an id not initialized by this attempt yet (see the remarks).
    private readonly TransactionalProducer?[] _pool;
    private readonly SlotState[] _slots;
    private readonly List<(PendingTransaction Transaction, int Slot)> _pending = [];
    private readonly TopicPartitionsCache _topics;
    private readonly KafkaRecordRouter<T> _router;
    private int _current;

    private TransactionalKafkaWriter(KafkaSinkSettings settings, IKafkaSerializationSchema<T> schema, KafkaPartitioner<T>? partitioner,
        KafkaSinkMetrics metrics, ILogger logger, int subtaskIndex, TransactionalProducer?[] pool, CancellationToken cancellation)
    {
        _settings = settings;
        _metrics = metrics;
        _logger = logger;
        _subtaskIndex = subtaskIndex;
        _cancellation = cancellation;
        _pool = pool;
        _slots = [.. pool.Select(p => p is null ? SlotState.CommittedUntil(null) : SlotState.Free)];
        var first = Array.FindIndex(_slots, s => s.Kind == SlotKind.Free);
        Begin(first >= 0 ? first : 0);
        _topics = new TopicPartitionsCache(_pool[_current]!.Producer.Handle, settings.ClientTimeout);
        _router = new KafkaRecordRouter<T>(settings.DefaultTopic, schema, partitioner, settings.WriteTimestampToKafka, _topics.PartitionsOf);
    }

    /// <summary>
    /// Starts a sink subtask's exactly-once writing, in three steps: fence every transactional id
    /// this subtask owns that no restored transaction needs — its own, those of subtasks a
    /// scale-down removed, and those an attempt at a higher parallelism may have used since the
    /// checkpoint (<see cref="KafkaSinkSettings.SafeScaleDownFactor"/>) — which aborts whatever
    /// earlier attempts left open, so none of it holds back the last stable offset recovery reads;
    /// then recover the restored checkpoint's pre-committed transactions (never aborting them);
    /// then fence the restored ids except those recovery just committed, and open the first transaction.
    /// </summary>
    public static TransactionalKafkaWriter<T> Start(
        KafkaSinkSettings settings,
        IKafkaSerializationSchema<T> schema,
        KafkaPartitioner<T>? partitioner,
        KafkaSinkMetrics metrics,
        ILogger logger,
        int subtaskIndex,
        int parallelism,
        RestoredSinkState restored,
        ITransactionCommitter committer,
        Func<ITransactionOutcomeProbe> probeFactory,
        CancellationToken cancellationToken)
    {
        if (settings.ProducerPoolSize < 2)
        {
            throw new ArgumentOutOfRangeException(nameof(settings), settings.ProducerPoolSize,
                "EXACTLY_ONCE needs a producer pool of at least 2 (one transaction is open while the previous one waits for its checkpoint).");
        }

        var crashPoints = settings.CrashPoints;
        var restoredIds = restored.PendingTransactions.Select(t => t.TransactionalId).ToHashSet(StringComparer.Ordinal);
        var previousPoolSize = Math.Max(settings.ProducerPoolSize, restored.PreviousProducerPoolSize);
        var pool = new TransactionalProducer?[settings.ProducerPoolSize];
        try
        {
            var owned = TransactionalIdNaming.OwnedSubtasks(subtaskIndex, parallelism, restored.PreviousParallelism)
                .SelectMany(subtask => Enumerable.Range(0, previousPoolSize).Select(slot => (Subtask: subtask, Slot: slot)))
                .ToList();
            // Each phase blocks on broker round trips; saying which one runs makes a slow start explainable.
            var started = System.Diagnostics.Stopwatch.StartNew();
            logger.LogInformation("Subtask {Subtask} fences the transactional ids earlier attempts may have left transactions open on ({Owned} of its own, more up to safe-scale-down factor {Factor})",
                subtaskIndex, owned.Count, settings.SafeScaleDownFactor);
            FenceConcurrently(
                [
                    .. owned.Where(o => !restoredIds.Contains(TransactionalIdNaming.For(settings.TransactionalIdPrefix, o.Subtask, o.Slot)))
                        .Select(o => (Action)(() => Fence(o.Subtask, o.Slot))),
                    .. IdsOfHigherParallelism(settings, subtaskIndex, parallelism, restored, previousPoolSize)
                        .Select(id => (Action)(() => FenceLingering(id, settings, metrics, logger, cancellationToken))),
                ],
                subtaskIndex);
            crashPoints?.Reached(SinkCrashPoint.AfterFencing, restored.CheckpointId, subtaskIndex);
            if (restored.PendingTransactions.Count > 0)
            {
                logger.LogInformation("Subtask {Subtask} recovers {Count} pre-committed transaction(s) of checkpoint {CheckpointId} ({Elapsed} ms in)",
                    subtaskIndex, restored.PendingTransactions.Count, restored.CheckpointId, started.ElapsedMilliseconds);
            }

            var recovered = new RestoredTransactionRecovery(committer, probeFactory, settings, metrics, logger, subtaskIndex)
                .Recover(restored.PendingTransactions, crashPoints, cancellationToken);
            var committedNow = recovered.Where(r => r.Outcome == RecoveryOutcome.CommittedNow).Select(r => r.Transaction.TransactionalId).ToHashSet(StringComparer.Ordinal);
            FenceConcurrently(
                [
                    .. owned.Where(o => TransactionalIdNaming.For(settings.TransactionalIdPrefix, o.Subtask, o.Slot) is var id && restoredIds.Contains(id) && !committedNow.Contains(id))
                        .Select(o => (Action)(() => Fence(o.Subtask, o.Slot))),
                ],
                subtaskIndex);

            var writer = new TransactionalKafkaWriter<T>(settings, schema, partitioner, metrics, logger, subtaskIndex, pool, cancellationToken);
            logger.LogInformation("Subtask {Subtask} is ready to write after {Elapsed} ms of fencing and recovery", subtaskIndex, started.ElapsedMilliseconds);
            crashPoints?.Reached(SinkCrashPoint.Started, restored.CheckpointId, subtaskIndex);
            return writer;
        }
        catch
        {
            // What failed to close is logged; the failure that got us here is the one to report.
            ClientDisposal.CloseAll(pool.Where(p => p is not null).Select(p => (Action)p!.Dispose), logger);
            throw;
        }

        void Fence(int subtask, int slot)
        {
            var id = TransactionalIdNaming.For(settings.TransactionalIdPrefix, subtask, slot);
            if (subtask == subtaskIndex && slot < pool.Length)
            {
                pool[slot] = new TransactionalProducer(id, settings, metrics, logger, cancellationToken);
            }
            else
            {
                FenceLingering(id, settings, metrics, logger, cancellationToken);
            }

            crashPoints?.Reached(SinkCrashPoint.AfterFencing, restored.CheckpointId, subtaskIndex);
        }
    }

    /// <summary>
    /// An attempt that ran at a higher parallelism than both the checkpoint's and this one, and died
    /// before completing a checkpoint, left transactions open on ids no checkpoint records (Flink's
    /// SAFE_SCALE_DOWN_FACTOR case): the ids of subtasks up to the factor times the larger of the two
    /// parallelisms, spread over the subtasks like the others.
    /// </summary>
    private static IEnumerable<string> IdsOfHigherParallelism(KafkaSinkSettings settings, int subtaskIndex, int parallelism, RestoredSinkState restored, int poolSize)
    {
        var known = Math.Max(parallelism, restored.PreviousParallelism);
        return Enumerable.Range(known, (known * settings.SafeScaleDownFactor) - known)
            .Where(subtask => subtask % parallelism == subtaskIndex)
            .SelectMany(subtask => Enumerable.Range(0, poolSize).Select(slot => TransactionalIdNaming.For(settings.TransactionalIdPrefix, subtask, slot)));
    }

    /// <summary>Only to fence <paramref name="id"/>: InitTransactions aborts what a former producer left open.</summary>
    private static void FenceLingering(string id, KafkaSinkSettings settings, KafkaSinkMetrics metrics, ILogger logger, CancellationToken cancellationToken)
    {
        using var lingering = new TransactionalProducer(id, settings, metrics, logger, cancellationToken, needsIdentity: false);
    }

    /// <summary>
    /// Runs independent fences on a few threads of their own and throws the first failure once all
    /// stopped: each InitTransactions blocks for a round trip or more (one after another they made a
    /// restart take seconds), and the thread pool must stay free for everything else the job does meanwhile.
    /// </summary>
    private static void FenceConcurrently(IReadOnlyList<Action> fences, int subtaskIndex)
    {
        var queue = new System.Collections.Concurrent.ConcurrentQueue<Action>(fences);
        Exception? failure = null;
        var workers = Enumerable.Range(0, Math.Min(FencingThreads, fences.Count)).Select(_ => new Thread(() =>
        {
            while (Volatile.Read(ref failure) is null && queue.TryDequeue(out var fence))
            {
                try
                {
                    fence();
                }
                catch (Exception e)
                {
                    Interlocked.CompareExchange(ref failure, e, null);
                }
            }
        }) { IsBackground = true, Name = $"fence ids of subtask {subtaskIndex}" }).ToList();
        workers.ForEach(worker => worker.Start());
        workers.ForEach(worker => worker.Join());
        if (failure is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failure);
        }
    }

    public void Write(T element, long? timestampMs)
    {
        var (target, message) = _router.Route(element, timestampMs);
        var producer = _pool[_current]!;
        try
        {
            producer.Sender.Send(target, message);
        }
        catch (KafkaException e) when (ProducerFencedException.IsFencing(e))
        {
            throw Fenced(producer, e);
        }

        producer.RecordsInTransaction++;
    }

    public IReadOnlyList<PendingTransaction> SnapshotState(long checkpointId)
    {
        var producer = _pool[_current]!;
        try
        {
            producer.Sender.Flush();
        }
        catch (KafkaException e) when (ProducerFencedException.IsFencing(e))
        {
            throw Fenced(producer, e);
        }

        var identity = producer.CurrentIdentity();
        var first = producer.RecordsInTransaction > 0 ? producer.Sender.FirstAcknowledged : null;
        _pending.Add((new PendingTransaction(checkpointId, producer.TransactionalId, identity.ProducerId, identity.ProducerEpoch, producer.RecordsInTransaction, first), _current));
        _slots[_current] = SlotState.PreCommitted;

        // Committed transactions this snapshot no longer lists can be reused once it completes.
        for (var slot = 0; slot < _slots.Length; slot++)
        {
            if (_slots[slot] is { Kind: SlotKind.Committed, RetireAfterCheckpoint: null })
            {
                _slots[slot] = SlotState.CommittedUntil(checkpointId);
            }
        }

        var next = Array.FindIndex(_slots, s => s.Kind == SlotKind.Free);
        if (next < 0)
        {
            throw new InvalidOperationException(
                $"Kafka sink subtask {_subtaskIndex}: all {_pool.Length} transactional producers are busy with transactions waiting for " +
                "their checkpoints to complete. There are more concurrent (or uncompleted) checkpoints than the producer pool supports: " +
                "raise the pool size (SetProducerPoolSize) or lower max concurrent checkpoints.");
        }

        Begin(next);
        return [.. _pending.Select(p => p.Transaction)];
    }

    public void NotifyCheckpointComplete(long checkpointId)
    {
        var committed = _pending.Where(p => p.Transaction.CheckpointId <= checkpointId).ToList();
        foreach (var (transaction, slot) in committed)
        {
            var producer = _pool[slot]!;
            try
            {
                CancellableTransactionCall.Run(producer.Producer.CommitTransaction, _settings.ClientTimeout, _cancellation);
            }
            catch (KafkaException e) when (ProducerFencedException.IsFencing(e))
            {
                throw Fenced(producer, e);
            }

            _metrics.Committed();
            _slots[slot] = SlotState.CommittedUntil(null);
            _pending.Remove((transaction, slot));
            _settings.CrashPoints?.Reached(SinkCrashPoint.AfterCommit, transaction.CheckpointId, _subtaskIndex);
        }

        for (var slot = 0; slot < _slots.Length; slot++)
        {
            if (_slots[slot] is { Kind: SlotKind.Committed, RetireAfterCheckpoint: { } after } && after <= checkpointId)
            {
                _slots[slot] = SlotState.Free;
            }
        }
    }

    public void FlushAtEndOfInput()
    {
        var producer = _pool[_current]!;
        try
        {
            producer.Sender.Flush();
        }
        catch (KafkaException e) when (ProducerFencedException.IsFencing(e))
        {
            throw Fenced(producer, e);
        }
    }

    public void Finish()
    {
        var producer = _pool[_current]!;
        try
        {
            producer.Sender.Flush();
            NotifyCheckpointComplete(long.MaxValue);
            CancellableTransactionCall.Run(producer.Producer.CommitTransaction, _settings.ClientTimeout, _cancellation);
        }
        catch (KafkaException e) when (ProducerFencedException.IsFencing(e))
        {
            throw Fenced(producer, e);
        }

        _metrics.Committed();
        _slots[_current] = SlotState.CommittedUntil(null);
    }

    /// <summary>Aborts the open transaction (the next attempt would fence it anyway) and closes every client, even when one of them fails to.</summary>
    public void Dispose()
    {
        if (_slots[_current].Kind == SlotKind.Open && _pool[_current] is { } open)
        {
            try
            {
                open.Producer.AbortTransaction(TimeSpan.FromSeconds(5));
                _metrics.Aborted();
            }
            catch (KafkaException e)
            {
                // The next attempt fences this id and the broker aborts the transaction then.
                _logger.LogWarning(e, "Could not abort transaction {TransactionalId} on close", open.TransactionalId);
            }
        }

        var failures = ClientDisposal.CloseAll([_topics.Dispose, .. _pool.Where(p => p is not null).Select(p => (Action)p!.Dispose)], _logger);
        if (failures.Count > 0)
        {
            throw new AggregateException("Closing the Kafka sink's clients failed.", failures);
        }
    }

    private ProducerFencedException Fenced(TransactionalProducer producer, KafkaException cause) =>
        new(producer.TransactionalId, _settings.TransactionalIdPrefix, _subtaskIndex, cause);

    private void Begin(int slot)
    {
        if (_pool[slot] is null)
        {
            // An id recovery committed: its restored transaction is no longer in any checkpoint
            // this job could restore, so initializing it (fencing the id) is safe now.
            _pool[slot] = new TransactionalProducer(TransactionalIdNaming.For(_settings.TransactionalIdPrefix, _subtaskIndex, slot), _settings, _metrics, _logger, _cancellation);
            _settings.CrashPoints?.Reached(SinkCrashPoint.AfterSlotInit, 0, _subtaskIndex);
        }

        var producer = _pool[slot]!;
        try
        {
            producer.Producer.BeginTransaction();
        }
        catch (KafkaException e) when (ProducerFencedException.IsFencing(e))
        {
            throw Fenced(producer, e);
        }

        producer.RecordsInTransaction = 0;
        producer.Sender.RestartPositionTracking();
        _slots[slot] = SlotState.Open;
        _current = slot;
    }

    private enum SlotKind
    {
        Free,
        Open,
        PreCommitted,
        Committed,
    }

    private readonly record struct SlotState(SlotKind Kind, long? RetireAfterCheckpoint)
    {
        public static SlotState Free => new(SlotKind.Free, null);

        public static SlotState Open => new(SlotKind.Open, null);

        public static SlotState PreCommitted => new(SlotKind.PreCommitted, null);

        public static SlotState CommittedUntil(long? checkpointId) => new(SlotKind.Committed, checkpointId);
    }
}
