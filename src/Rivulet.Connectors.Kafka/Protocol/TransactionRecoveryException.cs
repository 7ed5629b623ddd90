namespace Rivulet.Connectors.Kafka.Protocol;

/// <summary>
/// A transaction could not be ended by transactional id, producer id and epoch because the broker
/// no longer has it as it was (fenced, aborted by its timeout, unknown producer id). For a
/// pre-committed transaction of a completed checkpoint this means its records are lost for
/// read_committed readers; the job must not continue silently.
/// </summary>
public sealed class TransactionRecoveryException(string transactionalId, long producerId, short producerEpoch, short errorCode, bool commit = true)
    : Exception(commit
        ? $"Cannot commit transaction '{transactionalId}' (producer id {producerId}, epoch {producerEpoch}) of a completed checkpoint: " +
          $"the broker answered {KafkaErrorCodes.Name(errorCode)} ({errorCode}). The transaction is gone — most likely it was aborted because the " +
          "job was down longer than transaction.timeout.ms, or another producer with the same transactional id fenced it. " +
          "Its records are not visible to read_committed readers. Raise transaction.timeout.ms (and the brokers' transaction.max.timeout.ms) " +
          "above the longest expected downtime."
        : $"Cannot abort transaction '{transactionalId}' (producer id {producerId}, epoch {producerEpoch}): " +
          $"the broker answered {KafkaErrorCodes.Name(errorCode)} ({errorCode}).")
{
    /// <summary>The transactional id of the transaction that could not be committed or aborted.</summary>
    public string TransactionalId { get; } = transactionalId;

    /// <summary>The producer id the transaction was written with.</summary>
    public long ProducerId { get; } = producerId;

    /// <summary>The producer epoch the transaction was written with.</summary>
    public short ProducerEpoch { get; } = producerEpoch;

    /// <summary>The Kafka protocol error code the broker answered (its name is in the message).</summary>
    public short ErrorCode { get; } = errorCode;
}
