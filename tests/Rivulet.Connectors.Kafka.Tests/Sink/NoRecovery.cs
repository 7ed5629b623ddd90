using Rivulet.Connectors.Kafka.Sink.Transactions;

namespace Rivulet.Connectors.Kafka.Tests.Sink;

/// <summary>A committer for tests in which no transaction may need recovery.</summary>
internal sealed class NoRecovery : ITransactionCommitter
{
    public void Commit(PendingTransaction transaction, CancellationToken cancellationToken) =>
        throw new InvalidOperationException("no transaction should need recovery in this test");
}
