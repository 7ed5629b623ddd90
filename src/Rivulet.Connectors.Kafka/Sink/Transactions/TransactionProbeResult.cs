namespace Rivulet.Connectors.Kafka.Sink.Transactions;

/// <summary>A probe's finding, with why it could not decide when it could not.</summary>
internal readonly record struct TransactionProbeResult(TransactionOutcome Outcome, string? Reason = null)
{
    public static TransactionProbeResult Unknown(string reason) => new(TransactionOutcome.Unknown, reason);
}
