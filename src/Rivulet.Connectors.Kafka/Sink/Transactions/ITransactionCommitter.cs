namespace Rivulet.Connectors.Kafka.Sink.Transactions;

/// <summary>
/// Commits a pre-committed transaction whose producer is gone (the job crashed after the
/// checkpoint completed, before the commit): resumes it by transactional id, producer id and
/// epoch, without InitTransactions (which would abort it).
/// </summary>
internal interface ITransactionCommitter
{
    /// <summary>
    /// Sends the commit and returns what the transaction coordinator answered: committed (now,
    /// or already before with the same producer id and epoch), or that the transaction has ended
    /// otherwise as far as it can tell (the id was fenced, the producer id is unknown). Transient
    /// trouble is retried; errors no retry can fix are thrown.
    /// </summary>
    TransactionCommitResult Commit(PendingTransaction transaction, CancellationToken cancellationToken);
}
