namespace Rivulet.Connectors.Kafka.Sink.Transactions;

/// <summary>The transaction coordinator's answer to a recovery commit.</summary>
/// <param name="Committed">True when it answered NONE: the transaction is committed.</param>
/// <param name="ErrorCode">Kafka's error code otherwise (PRODUCER_FENCED, INVALID_PRODUCER_EPOCH, INVALID_TXN_STATE, INVALID_PRODUCER_ID_MAPPING).</param>
/// <param name="ErrorName">Kafka's name of that error.</param>
internal readonly record struct TransactionCommitResult(bool Committed, short ErrorCode, string ErrorName)
{
    /// <summary>The coordinator answered NONE.</summary>
    public static TransactionCommitResult Success { get; } = new(true, 0, "NONE");

    /// <inheritdoc/>
    public override string ToString() => Committed ? "NONE" : $"{ErrorName} ({ErrorCode})";
}
