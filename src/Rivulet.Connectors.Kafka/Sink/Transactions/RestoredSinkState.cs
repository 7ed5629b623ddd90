namespace Rivulet.Connectors.Kafka.Sink.Transactions;

/// <summary>What a sink subtask gets back from a checkpoint: its share of the pre-committed transactions and the shape of the run that wrote them.</summary>
/// <param name="PendingTransactions">Transactions to commit before anything else.</param>
/// <param name="PreviousParallelism">The sink's parallelism in the run that took the checkpoint (its ids must be fenced).</param>
/// <param name="PreviousProducerPoolSize">That run's producer pool size.</param>
/// <param name="CheckpointId">The checkpoint restored from (0 for a fresh start).</param>
internal sealed record RestoredSinkState(IReadOnlyList<PendingTransaction> PendingTransactions, int PreviousParallelism, int PreviousProducerPoolSize, long CheckpointId = 0)
{
    /// <summary>A fresh start; earlier runs with the same prefix and parallelism are still fenced.</summary>
    public static RestoredSinkState None(int parallelism, int poolSize) => new([], parallelism, poolSize);

    /// <summary>
    /// Subtask <paramref name="subtaskIndex"/>'s share of every pending transaction of the checkpoint:
    /// those whose transactional ids it now owns (<see cref="TransactionalIdNaming.OwnedSubtasks"/>).
    /// The subtask that will fence an id is the one that commits its transaction first, so a
    /// rescaled restore never has one subtask fence (and so abort) a transaction another is about
    /// to commit. Transactions under another prefix (the prefix was changed) go to subtask 0.
    /// </summary>
    public static RestoredSinkState ForSubtask(IEnumerable<PendingTransaction> allPending, string prefix, int subtaskIndex, int parallelism,
        int previousParallelism, int previousPoolSize, long checkpointId = 0)
    {
        var poolSize = Math.Max(1, previousPoolSize);
        var everyId = Enumerable.Range(0, Math.Max(parallelism, previousParallelism))
            .SelectMany(subtask => Enumerable.Range(0, poolSize).Select(slot => TransactionalIdNaming.For(prefix, subtask, slot)))
            .ToHashSet(StringComparer.Ordinal);
        var owned = TransactionalIdNaming.OwnedSubtasks(subtaskIndex, parallelism, previousParallelism)
            .SelectMany(subtask => Enumerable.Range(0, poolSize).Select(slot => TransactionalIdNaming.For(prefix, subtask, slot)))
            .ToHashSet(StringComparer.Ordinal);
        var mine = allPending
            .Where(t => owned.Contains(t.TransactionalId) || (subtaskIndex == 0 && !everyId.Contains(t.TransactionalId)))
            .Distinct()
            .ToList();
        return new RestoredSinkState(mine, previousParallelism, previousPoolSize, checkpointId);
    }
}
