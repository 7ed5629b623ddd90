using Confluent.Kafka;

namespace Rivulet.Connectors.Kafka.Sink.Transactions;

/// <summary>
/// An exactly-once sink's transactional producer was fenced: another producer initialized the same
/// transactional id (or the brokers aborted its transaction after <c>transaction.timeout.ms</c>
/// and bumped its epoch), so this one can no longer write or commit. Retrying cannot help while
/// the other producer lives; the message says what to check.
/// </summary>
public sealed class ProducerFencedException(string transactionalId, string transactionalIdPrefix, int subtaskIndex, KafkaException cause)
    : Exception(
        $"Kafka sink subtask {subtaskIndex}: its transactional producer '{transactionalId}' was fenced ({FencingError(cause).Code}: {FencingError(cause).Reason}). " +
        $"Another producer initialized the same transactional id: most likely a second job, or another run of this job that is still alive, " +
        $"uses the transactional id prefix '{transactionalIdPrefix}'; otherwise the brokers aborted the transaction because it was open longer than " +
        "transaction.timeout.ms. Give every job that writes to Kafka its own prefix (KafkaProducer.SetTransactionalIdPrefix), make sure no earlier " +
        "run of this job still runs, and keep transaction.timeout.ms above the checkpoint interval plus the longest expected downtime.",
        cause)
{
    /// <summary>The transactional id of the producer that was fenced.</summary>
    public string TransactionalId { get; } = transactionalId;

    /// <summary>The sink's transactional id prefix; another job or run using the same prefix is the usual cause of the fencing.</summary>
    public string TransactionalIdPrefix { get; } = transactionalIdPrefix;

    /// <summary>Whether <paramref name="error"/> (or the delivery failure it wraps) says the producer was fenced.</summary>
    public static bool IsFencing(KafkaException error) =>
        IsFencingCode(error.Error.Code) || (error.InnerException is KafkaException inner && IsFencing(inner));

    private static bool IsFencingCode(ErrorCode code) => code is ErrorCode.Local_Fenced or ErrorCode.ProducerFenced or ErrorCode.InvalidProducerEpoch;

    /// <summary>The client's own fencing error, not the sink's wrapper around it.</summary>
    private static Error FencingError(KafkaException error) =>
        IsFencingCode(error.Error.Code) || error.InnerException is not KafkaException inner ? error.Error : FencingError(inner);
}
