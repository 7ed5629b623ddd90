using Confluent.Kafka;
using Microsoft.Extensions.Logging;
using Rivulet.Connectors.Kafka.Sink.Metrics;
using Rivulet.Connectors.Kafka.Sink.Partitioning;
using Rivulet.Connectors.Kafka.Sink.Serialization;
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
/// recovery commit would otherwise commit by mistake.
/// </remarks>
internal sealed class TransactionalKafkaWriter<T> : IKafkaSinkWriter<T>
{
    private readonly KafkaSinkSettings _settings;
    private readonly KafkaSinkMetrics _metrics;
    private readonly ILogger _logger;
    private readonly int _subtaskIndex;
    private readonly int _parallelism;
    private readonly TransactionalProducer[] _pool;
    private readonly SlotState[] _slots;
    private readonly List<(PendingTransaction Transaction, int Slot)> _pending = [];
    private readonly TopicPartitionsCache _topics;
    private readonly KafkaRecordRouter<T> _router;
    private int _current;

    private TransactionalKafkaWriter(KafkaSinkSettings settings, IKafkaSerializationSchema<T> schema, KafkaPartitioner<T>? partitioner,
        KafkaSinkMetrics metrics, ILogger logger, int subtaskIndex, int parallelism, TransactionalProducer[] pool)
    {
        _settings = settings;
        _metrics = metrics;
        _logger = logger;
        _subtaskIndex = subtaskIndex;
        _parallelism = parallelism;
        _pool = pool;
        _slots = new SlotState[pool.Length];
        _topics = new TopicPartitionsCache(pool[0].Producer.Handle, settings.ClientTimeout);
        _router = new KafkaRecordRouter<T>(settings.DefaultTopic, schema, partitioner, settings.WriteTimestampToKafka, _topics.PartitionsOf);
        Begin(0);
    }

    /// <summary>
    /// Commits the restored checkpoint's pre-committed transactions (without aborting them
    /// first), then fences every transactional id this subtask owns — its own and those of
    /// subtasks a scale-down removed — which aborts whatever earlier attempts left open, and
    /// opens the first transaction.
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
        CancellationToken cancellationToken)
    {
        if (settings.ProducerPoolSize < 2)
        {
            throw new ArgumentOutOfRangeException(nameof(settings), settings.ProducerPoolSize,
                "EXACTLY_ONCE needs a producer pool of at least 2 (one transaction is open while the previous one waits for its checkpoint).");
        }

        foreach (var transaction in restored.PendingTransactions.OrderBy(t => t.CheckpointId))
        {
            if (transaction.RecordCount == 0)
            {
                continue;
            }

            logger.LogInformation("Committing transaction {TransactionalId} (producer {ProducerId}, epoch {Epoch}) of checkpoint {CheckpointId} after restore",
                transaction.TransactionalId, transaction.ProducerId, transaction.ProducerEpoch, transaction.CheckpointId);
            committer.Commit(transaction, cancellationToken);
            metrics.Recovered();
        }

        var previousPoolSize = Math.Max(settings.ProducerPoolSize, restored.PreviousProducerPoolSize);
        var pool = new TransactionalProducer[settings.ProducerPoolSize];
        try
        {
            foreach (var owned in TransactionalIdNaming.OwnedSubtasks(subtaskIndex, parallelism, restored.PreviousParallelism))
            {
                for (var slot = 0; slot < previousPoolSize; slot++)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    var id = TransactionalIdNaming.For(settings.TransactionalIdPrefix, owned, slot);
                    if (owned == subtaskIndex && slot < pool.Length)
                    {
                        pool[slot] = new TransactionalProducer(id, settings, metrics, logger);
                    }
                    else
                    {
                        // Only to fence it: InitTransactions aborts what a former producer left open.
                        using var lingering = new TransactionalProducer(id, settings, metrics, logger, needsIdentity: false);
                    }
                }
            }
        }
        catch
        {
            foreach (var producer in pool.Where(p => p != null))
            {
                producer.Dispose();
            }

            throw;
        }

        return new TransactionalKafkaWriter<T>(settings, schema, partitioner, metrics, logger, subtaskIndex, parallelism, pool);
    }

    /// <summary>Transactions pre-committed and not yet committed (for tests and metrics).</summary>
    public int PendingCount => _pending.Count;

    public void Write(T element, long? timestampMs)
    {
        var (target, message) = _router.Route(element, timestampMs);
        var producer = _pool[_current];
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
        var producer = _pool[_current];
        try
        {
            producer.Sender.Flush();
        }
        catch (KafkaException e) when (ProducerFencedException.IsFencing(e))
        {
            throw Fenced(producer, e);
        }

        var identity = producer.CurrentIdentity();
        _pending.Add((new PendingTransaction(checkpointId, producer.TransactionalId, identity.ProducerId, identity.ProducerEpoch, producer.RecordsInTransaction), _current));
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
            try
            {
                _pool[slot].Producer.CommitTransaction(_settings.ClientTimeout);
            }
            catch (KafkaException e) when (ProducerFencedException.IsFencing(e))
            {
                throw Fenced(_pool[slot], e);
            }

            _metrics.Committed();
            _slots[slot] = SlotState.CommittedUntil(null);
            _pending.Remove((transaction, slot));
        }

        for (var slot = 0; slot < _slots.Length; slot++)
        {
            if (_slots[slot] is { Kind: SlotKind.Committed, RetireAfterCheckpoint: { } after } && after <= checkpointId)
            {
                _slots[slot] = SlotState.Free;
            }
        }
    }

    public void Finish()
    {
        var producer = _pool[_current];
        try
        {
            producer.Sender.Flush();
            NotifyCheckpointComplete(long.MaxValue);
            producer.Producer.CommitTransaction(_settings.ClientTimeout);
        }
        catch (KafkaException e) when (ProducerFencedException.IsFencing(e))
        {
            throw Fenced(producer, e);
        }

        _metrics.Committed();
        _slots[_current] = SlotState.CommittedUntil(null);
    }

    public void Dispose()
    {
        if (_slots[_current].Kind == SlotKind.Open)
        {
            try
            {
                _pool[_current].Producer.AbortTransaction(TimeSpan.FromSeconds(5));
                _metrics.Aborted();
            }
            catch (KafkaException e)
            {
                // The next attempt fences this id and the broker aborts the transaction then.
                _logger.LogWarning(e, "Could not abort transaction {TransactionalId} on close", _pool[_current].TransactionalId);
            }
        }

        _topics.Dispose();
        foreach (var producer in _pool)
        {
            producer.Dispose();
        }
    }

    private ProducerFencedException Fenced(TransactionalProducer producer, KafkaException cause) =>
        new(producer.TransactionalId, _settings.TransactionalIdPrefix, _subtaskIndex, cause);

    private void Begin(int slot)
    {
        try
        {
            _pool[slot].Producer.BeginTransaction();
        }
        catch (KafkaException e) when (ProducerFencedException.IsFencing(e))
        {
            throw Fenced(_pool[slot], e);
        }

        _pool[slot].RecordsInTransaction = 0;
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
