namespace Rivulet.Connectors.Kafka.Sink.Transactions;

/// <summary>Tells from the data at the brokers whether the transaction that wrote a record committed.</summary>
internal interface ITransactionOutcomeProbe : IDisposable
{
    /// <summary>
    /// Reads the record at <paramref name="position"/> as a read_committed reader would. While the
    /// transaction is still open the answer is <see cref="TransactionOutcome.Open"/>, at once or —
    /// with a positive <paramref name="waitForEnd"/> — once that long has passed without it ending.
    /// Transient client errors (brokers unreachable) are thrown.
    /// </summary>
    TransactionProbeResult Check(TransactionRecordPosition position, TimeSpan waitForEnd, CancellationToken cancellationToken);
}
