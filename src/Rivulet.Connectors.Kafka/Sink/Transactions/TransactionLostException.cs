namespace Rivulet.Connectors.Kafka.Sink.Transactions;

/// <summary>
/// A transaction of a completed checkpoint cannot be committed any more: the brokers ended it
/// otherwise (aborted it at its <c>transaction.timeout.ms</c>, or another producer with the same
/// transactional id fenced it), or it ended and the data can no longer show how. Its records are
/// missing for read_committed readers; restarting cannot bring them back, so the job fails at once
/// (unless <c>KafkaProducer.IgnoreFailuresAfterTransactionTimeout</c> accepts the gap).
/// </summary>
public sealed class TransactionLostException : Exception
{
    internal TransactionLostException(int subtaskIndex, PendingTransaction transaction, string finding, string transactionalIdPrefix, string transactionTimeout)
        : base(
            $"Kafka sink subtask {subtaskIndex}: transaction '{transaction.TransactionalId}' (producer id {transaction.ProducerId}, epoch {transaction.ProducerEpoch}) " +
            $"of completed checkpoint {transaction.CheckpointId} cannot be committed: {finding}. Its {transaction.RecordCount} record(s) will never be " +
            "visible to read_committed readers, and restarting cannot change that. Most likely the job was down longer than " +
            $"transaction.timeout.ms ({transactionTimeout}) and the brokers aborted it, or another producer used the transactional id (another job with the prefix " +
            $"'{transactionalIdPrefix}'?). What you can do: restart from the checkpoint or savepoint before checkpoint {transaction.CheckpointId} (its records are " +
            "written again, at the cost of duplicates of what other transactions of that checkpoint committed), or accept the gap and let the job go on with " +
            "KafkaProducer.IgnoreFailuresAfterTransactionTimeout(). To prevent it, keep transaction.timeout.ms (and the brokers' transaction.max.timeout.ms) above the " +
            "longest expected downtime, and give every job its own transactional id prefix.")
    {
        Transaction = transaction;
        Finding = finding;
    }

    /// <summary>The lost transaction as the checkpoint stored it.</summary>
    public PendingTransaction Transaction { get; }

    /// <summary>What the brokers answered and what the data showed.</summary>
    public string Finding { get; }
}
