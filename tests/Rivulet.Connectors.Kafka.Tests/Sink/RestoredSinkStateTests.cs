using Rivulet.Connectors.Kafka.Sink.Transactions;

namespace Rivulet.Connectors.Kafka.Tests.Sink;

/// <summary>Who commits which pre-committed transaction after a restore, at any parallelism.</summary>
public sealed class RestoredSinkStateTests
{
    private const string Prefix = "job-sink";

    [Theory]
    [InlineData(3, 2)]
    [InlineData(2, 3)]
    [InlineData(3, 1)]
    [InlineData(2, 2)]
    [InlineData(1, 4)]
    public void Every_pending_transaction_goes_to_exactly_the_subtask_that_fences_its_id(int previousParallelism, int parallelism)
    {
        const int PoolSize = 5;
        var pending = Enumerable.Range(0, previousParallelism)
            .SelectMany(subtask => new[] { Pending(subtask, 1, checkpoint: 7), Pending(subtask, 2, checkpoint: 8) })
            .Append(new PendingTransaction(8, "renamed-prefix-0-1", 42, 0, 10))
            .ToList();

        var shares = Enumerable.Range(0, parallelism)
            .Select(subtask => RestoredSinkState.ForSubtask(pending, Prefix, subtask, parallelism, previousParallelism, PoolSize))
            .ToList();

        // Each transaction exactly once …
        Assert.Equal(pending.OrderBy(t => t.TransactionalId), shares.SelectMany(s => s.PendingTransactions).OrderBy(t => t.TransactionalId));
        for (var subtask = 0; subtask < parallelism; subtask++)
        {
            // … with the subtask whose ids include it (the one that fences that id after committing).
            var owned = TransactionalIdNaming.OwnedSubtasks(subtask, parallelism, previousParallelism).ToHashSet();
            Assert.All(shares[subtask].PendingTransactions.Where(t => t.TransactionalId.StartsWith(Prefix + "-", StringComparison.Ordinal)),
                t => Assert.Contains(int.Parse(t.TransactionalId.Split('-')[^2]), owned));
            Assert.Equal(previousParallelism, shares[subtask].PreviousParallelism);
        }

        // Transactions under another prefix have one owner: subtask 0.
        Assert.Contains(shares[0].PendingTransactions, t => t.TransactionalId == "renamed-prefix-0-1");
    }

    private static PendingTransaction Pending(int subtask, int slot, long checkpoint) =>
        new(checkpoint, TransactionalIdNaming.For(Prefix, subtask, slot), 1_000 + subtask, 0, 10);
}
