namespace Rivulet.Connectors.Kafka.Sink.Transactions;

/// <summary>
/// A transaction pre-committed (flushed) at a checkpoint barrier and stored in that checkpoint:
/// what a restarted job needs to commit it without the producer that opened it, and to tell
/// afterwards whether it was committed.
/// </summary>
/// <param name="CheckpointId">The checkpoint whose completion makes it visible.</param>
/// <param name="TransactionalId">The producer's <c>transactional.id</c>.</param>
/// <param name="ProducerId">The producer id the coordinator assigned (from librdkafka's statistics).</param>
/// <param name="ProducerEpoch">The producer epoch at pre-commit.</param>
/// <param name="RecordCount">Records written in it; an empty transaction needs no commit on the broker.</param>
/// <param name="FirstRecord">
/// Where the broker stored its first acknowledged record: a read_committed read there shows whether
/// the transaction committed or aborted once it has ended. Null for an empty transaction.
/// </param>
public sealed record PendingTransaction(
    long CheckpointId,
    string TransactionalId,
    long ProducerId,
    short ProducerEpoch,
    long RecordCount,
    TransactionRecordPosition? FirstRecord = null);
