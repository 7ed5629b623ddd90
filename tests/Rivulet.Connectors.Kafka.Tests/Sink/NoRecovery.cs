using Rivulet.Connectors.Kafka.Sink.Transactions;

namespace Rivulet.Connectors.Kafka.Tests.Sink;

/// <summary>A committer for tests in which no transaction may need recovery.</summary>
internal sealed class NoRecovery : ITransactionCommitter
{
    /// <summary>A probe factory for the same tests: no restored transaction is ever looked up.</summary>
    public static Func<ITransactionOutcomeProbe> Probe { get; } = () => throw new InvalidOperationException("no transaction should need recovery in this test");

    public TransactionCommitResult Commit(PendingTransaction transaction, CancellationToken cancellationToken) =>
        throw new InvalidOperationException("no transaction should need recovery in this test");
}
