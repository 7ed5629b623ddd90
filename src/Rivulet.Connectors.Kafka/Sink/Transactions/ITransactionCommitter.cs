namespace Rivulet.Connectors.Kafka.Sink.Transactions;

/// <summary>
/// Commits a pre-committed transaction whose producer is gone (the job crashed after the
/// checkpoint completed, before the commit): resumes it by transactional id, producer id and
/// epoch, without InitTransactions (which would abort it).
/// </summary>
public interface ITransactionCommitter
{
    void Commit(PendingTransaction transaction, CancellationToken cancellationToken);
}
