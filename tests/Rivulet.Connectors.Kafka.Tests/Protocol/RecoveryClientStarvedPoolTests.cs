using Rivulet.Connectors.Kafka.Sink.Transactions;
using Rivulet.Connectors.Kafka.Tests.Sink.Recovery;
using Rivulet.Testing.Kafka;

namespace Rivulet.Connectors.Kafka.Tests.Protocol;

/// <summary>
/// A sink recovers while it opens, often in a process whose thread pool is busy with the rest of
/// the job: the recovery commit must not need a free pool thread to finish. Runs alone (it parks
/// the whole pool for the duration of one commit).
/// </summary>
[Collection(RecoveryEnumeration.Collection)]
public sealed class RecoveryClientStarvedPoolTests
{
    [Fact]
    public void The_commit_finishes_while_every_thread_pool_thread_is_blocked()
    {
        using var cluster = KafkaTestCluster.Start(1);
        var (topic, pending) = CrashedSinkTransaction.Leave(cluster, "starved", "starved-0");
        ThreadPool.GetMinThreads(out var workers, out var io);
        ThreadPool.GetMaxThreads(out var maxWorkers, out var maxIo);
        using var release = new ManualResetEventSlim();
        TransactionCommitResult? result = null;
        var committer = new Thread(() =>
        {
            // The pool cannot grow: every thread it has is parked until the commit is done.
            ThreadPool.SetMaxThreads(Math.Max(workers, Environment.ProcessorCount), io);
            for (var i = 0; i < Math.Max(workers, Environment.ProcessorCount) * 2; i++)
            {
                ThreadPool.QueueUserWorkItem(_ => release.Wait());
            }

            result = TransactionRecoveryClientTests.Client(cluster.BootstrapServers).Commit(pending, TestContext.Current.CancellationToken);
        });
        try
        {
            committer.Start();
            Assert.True(committer.Join(TimeSpan.FromSeconds(60)), "the commit did not finish within 60 s on a blocked pool");
        }
        finally
        {
            release.Set();
            ThreadPool.SetMaxThreads(maxWorkers, maxIo);
        }

        Assert.True(result?.Committed);
        Assert.Equal(["starved-0"], TransactionRecoveryClientTests.Committed(cluster, topic));
    }
}
