using Microsoft.Extensions.Logging;
using Rivulet.Connectors.Kafka.Sink.Metrics;
using Rivulet.Connectors.Kafka.Sink.Testing;

namespace Rivulet.Connectors.Kafka.Sink.Transactions;

/// <summary>
/// Brings each pre-committed transaction of a restored checkpoint to "committed" — the one outcome
/// a completed checkpoint allows — however often the same checkpoint is restored, and whatever
/// earlier attempts did before they died.
/// </summary>
/// <remarks>
/// <para>Per transactional id the states are open, pre-committed, committed, aborted and fenced
/// (epoch bumped). A completed checkpoint lists pre-committed transactions; between its completion
/// and any later restore of it, each of them may have been committed (by the live job, or by an
/// earlier recovery) and its id fenced since (by an earlier recovery's start, another producer, or
/// the brokers' timeout abort, which also aborts it if it was still open). Kafka's EndTxn only
/// knows the id's current producer id and epoch, so after a fence "committed earlier" and "aborted
/// by the timeout" give the same answer (PRODUCER_FENCED / INVALID_PRODUCER_EPOCH). Two rules keep
/// every such path right:</para>
/// <list type="number">
/// <item>The data decides, not a guess: a transaction's first record was stored with it, and a
/// read_committed read there (<see cref="ITransactionOutcomeProbe"/>) shows committed or aborted
/// once the transaction has ended. It is consulted before EndTxn (a transaction found committed is
/// not touched again, so a later transaction that reuses the id is never committed by mistake)
/// and after any answer that says the transaction ended otherwise.</item>
/// <item>An id whose transaction this recovery committed through EndTxn is not fenced by this
/// attempt until a checkpoint that no longer lists the transaction completed
/// (<see cref="RecoveryOutcome.CommittedNow"/>): a crash before that restores the same checkpoint,
/// and EndTxn with the same producer id and epoch then answers NONE again (Kafka: a retried commit
/// of a completed commit succeeds). This holds even where the data cannot be read.</item>
/// </list>
/// <para>Only when the data shows an abort, or cannot tell after a fenced answer, is the
/// transaction lost: that fails the job with <see cref="TransactionLostException"/>, or, with
/// <c>IgnoreFailuresAfterTransactionTimeout</c>, is logged as an error and counted.</para>
/// </remarks>
internal sealed class RestoredTransactionRecovery(
    ITransactionCommitter committer,
    Func<ITransactionOutcomeProbe> probeFactory,
    KafkaSinkSettings settings,
    KafkaSinkMetrics metrics,
    ILogger logger,
    int subtaskIndex)
{
    /// <summary>How long an ended transaction's markers may take to reach its partition after a fenced answer.</summary>
    private static readonly TimeSpan MarkerWait = TimeSpan.FromSeconds(30);

    /// <summary>Deals with each transaction in checkpoint order; returns what happened to each.</summary>
    /// <exception cref="TransactionLostException">A transaction is lost and losses are not ignored.</exception>
    public IReadOnlyList<(PendingTransaction Transaction, RecoveryOutcome Outcome)> Recover(
        IEnumerable<PendingTransaction> pending, ISinkCrashPoints? crashPoints, CancellationToken cancellationToken)
    {
        var outcomes = new List<(PendingTransaction, RecoveryOutcome)>();
        ITransactionOutcomeProbe? probe = null;
        try
        {
            foreach (var transaction in pending.OrderBy(t => t.CheckpointId))
            {
                var outcome = transaction.RecordCount == 0
                    ? RecoveryOutcome.NothingToCommit
                    : Recover(transaction, () => probe ??= probeFactory(), cancellationToken);
                outcomes.Add((transaction, outcome));
                crashPoints?.Reached(SinkCrashPoint.AfterRecoveryCommit, transaction.CheckpointId, subtaskIndex);
            }
        }
        finally
        {
            probe?.Dispose();
        }

        return outcomes;
    }

    private RecoveryOutcome Recover(PendingTransaction transaction, Func<ITransactionOutcomeProbe> probe, CancellationToken cancellationToken)
    {
        if (transaction.FirstRecord is { } first)
        {
            var before = probe().Check(first, TimeSpan.Zero, cancellationToken);
            switch (before.Outcome)
            {
                case TransactionOutcome.Committed:
                    logger.LogInformation("Transaction {TransactionalId} of checkpoint {CheckpointId} was already committed (its record at {Position} is visible to read_committed readers)",
                        transaction.TransactionalId, transaction.CheckpointId, first);
                    return RecoveryOutcome.FoundCommitted;
                case TransactionOutcome.Aborted:
                    return Lost(transaction, $"read_committed readers skip its first record ({first}): the brokers aborted it");
                case TransactionOutcome.Unknown:
                    logger.LogDebug("Cannot read how transaction {TransactionalId} ended ({Reason}); committing it by producer id and epoch", transaction.TransactionalId, before.Reason);
                    break;
            }
        }

        logger.LogInformation("Committing transaction {TransactionalId} (producer {ProducerId}, epoch {Epoch}) of checkpoint {CheckpointId} after restore",
            transaction.TransactionalId, transaction.ProducerId, transaction.ProducerEpoch, transaction.CheckpointId);
        var answer = committer.Commit(transaction, cancellationToken);
        if (answer.Committed)
        {
            metrics.Recovered();
            return RecoveryOutcome.CommittedNow;
        }

        if (transaction.FirstRecord is not { } position)
        {
            return Lost(transaction, $"the brokers answered EndTxn with {answer}, so the transaction has ended, and the checkpoint holds no record position to read how");
        }

        var after = probe().Check(position, MarkerWait, cancellationToken);
        return after.Outcome switch
        {
            TransactionOutcome.Committed => FoundCommittedAfterFence(transaction, answer, position),
            TransactionOutcome.Aborted => Lost(transaction, $"the brokers answered EndTxn with {answer}, and read_committed readers skip its first record ({position}): they aborted it"),
            TransactionOutcome.Open => throw new TimeoutException(
                $"Transaction '{transaction.TransactionalId}' of checkpoint {transaction.CheckpointId}: the brokers answered EndTxn with {answer}, but the partition of its " +
                $"record {position} still has an open transaction before it after {MarkerWait.TotalSeconds:0} s; the next attempt looks again."),
            _ => Lost(transaction, $"the brokers answered EndTxn with {answer}, so the transaction has ended, and how cannot be read back: {after.Reason}"),
        };
    }

    private RecoveryOutcome FoundCommittedAfterFence(PendingTransaction transaction, TransactionCommitResult answer, TransactionRecordPosition position)
    {
        logger.LogInformation("Transaction {TransactionalId} of checkpoint {CheckpointId} was committed earlier: EndTxn answered {Answer}, and its record at {Position} is visible to read_committed readers",
            transaction.TransactionalId, transaction.CheckpointId, answer, position);
        return RecoveryOutcome.FoundCommitted;
    }

    private RecoveryOutcome Lost(PendingTransaction transaction, string finding)
    {
        var timeout = settings.ClientProperties.TryGetValue("transaction.timeout.ms", out var configured) ? $"{configured} ms" : "the sink's default of 1 hour";
        var lost = new TransactionLostException(subtaskIndex, transaction, finding, settings.TransactionalIdPrefix, timeout);
        if (!settings.IgnoreLostTransactions)
        {
            throw lost;
        }

        metrics.Lost();
        logger.LogError("{Message} Going on because IgnoreFailuresAfterTransactionTimeout is set.", lost.Message);
        return RecoveryOutcome.Lost;
    }
}

/// <summary>What recovery did with one restored transaction.</summary>
internal enum RecoveryOutcome
{
    /// <summary>It held no records.</summary>
    NothingToCommit,

    /// <summary>Committed by this recovery through EndTxn: its id stays unfenced until a later checkpoint completes.</summary>
    CommittedNow,

    /// <summary>The data shows it committed before.</summary>
    FoundCommitted,

    /// <summary>Lost, and the sink is told to go on.</summary>
    Lost,
}
