namespace Rivulet.Connectors.Kafka.Protocol;

/// <summary>
/// A pre-committed transaction could not be committed after a restore because the broker no
/// longer has it as it was (fenced, aborted by its timeout, unknown producer id). The records of
/// that checkpoint are lost for read_committed readers; the job must not continue silently.
/// </summary>
public sealed class TransactionRecoveryException(string transactionalId, long producerId, short producerEpoch, short errorCode)
    : Exception(
        $"Cannot commit transaction '{transactionalId}' (producer id {producerId}, epoch {producerEpoch}) of a completed checkpoint: " +
        $"the broker answered {KafkaErrorCodes.Name(errorCode)} ({errorCode}). The transaction is gone — most likely it was aborted because the " +
        "job was down longer than transaction.timeout.ms, or another producer with the same transactional id fenced it. " +
        "Its records are not visible to read_committed readers. Raise transaction.timeout.ms (and the brokers' transaction.max.timeout.ms) " +
        "above the longest expected downtime.")
{
    public string TransactionalId { get; } = transactionalId;

    public long ProducerId { get; } = producerId;

    public short ProducerEpoch { get; } = producerEpoch;

    public short ErrorCode { get; } = errorCode;
}
