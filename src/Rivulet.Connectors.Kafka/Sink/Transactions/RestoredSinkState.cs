namespace Rivulet.Connectors.Kafka.Sink.Transactions;

/// <summary>What a sink subtask gets back from a checkpoint: its share of the pre-committed transactions and the shape of the run that wrote them.</summary>
/// <param name="PendingTransactions">Transactions to commit before anything else.</param>
/// <param name="PreviousParallelism">The sink's parallelism in the run that took the checkpoint (its ids must be fenced).</param>
/// <param name="PreviousProducerPoolSize">That run's producer pool size.</param>
public sealed record RestoredSinkState(IReadOnlyList<PendingTransaction> PendingTransactions, int PreviousParallelism, int PreviousProducerPoolSize)
{
    /// <summary>A fresh start; earlier runs with the same prefix and parallelism are still fenced.</summary>
    public static RestoredSinkState None(int parallelism, int poolSize) => new([], parallelism, poolSize);
}
