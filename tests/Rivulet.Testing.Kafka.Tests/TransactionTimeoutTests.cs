using Confluent.Kafka;
using Rivulet.Connectors.Kafka.Protocol;

namespace Rivulet.Testing.Kafka.Tests;

/// <summary>
/// The transaction timeout as a Kafka transaction coordinator enforces it: a transaction open
/// longer than its producer's <c>transaction.timeout.ms</c> is aborted by the broker with the
/// producer's epoch bumped (the producer is fenced), and InitProducerId asking for more than
/// the brokers' <c>transaction.max.timeout.ms</c> is refused.
/// </summary>
public sealed class TransactionTimeoutTests(KafkaTestClusterFixture broker) : IClassFixture<KafkaTestClusterFixture>
{
    private const short InvalidProducerEpoch = 47;
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task A_transaction_open_longer_than_its_timeout_is_aborted_by_the_broker_which_fences_its_producer()
    {
        var topic = KafkaTestClusterFixture.UniqueTopic("txn-timeout");
        broker.Cluster.CreateTopic(topic, 1);
        var transactionalId = "timeout-" + Guid.NewGuid().ToString("N");
        using var producer = new IdentifiedTransactionalProducer(broker.BootstrapServers, transactionalId, transactionTimeoutMs: 1_000);
        producer.Producer.InitTransactions(Timeout);
        producer.WriteInTransaction(topic, TopicReads.Values("kept", 0, 2), Timeout);
        producer.Producer.CommitTransaction(Timeout);
        producer.WriteInTransaction(topic, TopicReads.Values("stale", 0, 4), Timeout);
        var identity = producer.IdentityInTransaction(Timeout);
        // 2 records + commit marker, then the open transaction holds read_committed readers back.
        Assert.Equal(3, TopicReads.LastStableOffset(broker.BootstrapServers, topic));

        // Nothing on the client side ends it: the broker's clock does, and writes the abort marker.
        await WaitUntilAsync(() => TopicReads.LastStableOffset(broker.BootstrapServers, topic) == 8, TimeSpan.FromSeconds(15), "the broker to abort the timed-out transaction");
        Assert.Equal(8, TopicReads.EndOffset(broker.BootstrapServers, topic));
        Assert.Equal(TopicReads.Values("kept", 0, 2), TopicReads.ReadAll(broker.BootstrapServers, topic, IsolationLevel.ReadCommitted));
        Assert.Equal([.. TopicReads.Values("kept", 0, 2), .. TopicReads.Values("stale", 0, 4)], TopicReads.ReadAll(broker.BootstrapServers, topic, IsolationLevel.ReadUncommitted));

        // The coordinator aborted it with the next epoch: an abort retry with that epoch is answered
        // as done, while the producer's own epoch is fenced, for a recovery commit as for the producer.
        var recovery = new TransactionRecoveryClient(new Dictionary<string, string> { ["bootstrap.servers"] = broker.BootstrapServers }, Timeout);
        recovery.Abort(transactionalId, identity.ProducerId, (short)(identity.ProducerEpoch + 1), TestContext.Current.CancellationToken);
        var lateCommit = Assert.Throws<TransactionRecoveryException>(() =>
            recovery.Commit(transactionalId, identity.ProducerId, identity.ProducerEpoch, TestContext.Current.CancellationToken));
        Assert.Equal(InvalidProducerEpoch, lateCommit.ErrorCode);

        var fenced = Assert.ThrowsAny<KafkaException>(() => producer.Producer.CommitTransaction(Timeout));
        Assert.True(fenced.Error.Code is ErrorCode.Local_Fenced or ErrorCode.ProducerFenced or ErrorCode.InvalidProducerEpoch,
            $"expected the producer to learn it was fenced, got {fenced.Error.Code}: {fenced.Error.Reason}");
    }

    [Fact]
    public async Task Expiring_a_transaction_aborts_it_as_its_timeout_would_and_only_while_it_is_open()
    {
        var topic = KafkaTestClusterFixture.UniqueTopic("txn-expire");
        broker.Cluster.CreateTopic(topic, 1);
        var transactionalId = "expire-" + Guid.NewGuid().ToString("N");
        using var producer = new IdentifiedTransactionalProducer(broker.BootstrapServers, transactionalId);
        producer.Producer.InitTransactions(Timeout);
        producer.WriteInTransaction(topic, TopicReads.Values("kept", 0, 2), Timeout);
        producer.Producer.CommitTransaction(Timeout);
        // Nothing open: nothing to expire.
        var idle = Assert.Throws<InvalidOperationException>(() => broker.Cluster.ExpireTransaction(transactionalId));
        Assert.Contains($"expire the transaction of '{transactionalId}'", idle.Message);

        producer.WriteInTransaction(topic, TopicReads.Values("stale", 0, 3), Timeout);
        var identity = producer.IdentityInTransaction(Timeout);
        broker.Cluster.ExpireTransaction(transactionalId);

        Assert.Equal(TopicReads.EndOffset(broker.BootstrapServers, topic), TopicReads.LastStableOffset(broker.BootstrapServers, topic));
        Assert.Equal(TopicReads.Values("kept", 0, 2), TopicReads.ReadAll(broker.BootstrapServers, topic, IsolationLevel.ReadCommitted));
        var recovery = new TransactionRecoveryClient(new Dictionary<string, string> { ["bootstrap.servers"] = broker.BootstrapServers }, Timeout);
        var lateCommit = Assert.Throws<TransactionRecoveryException>(() =>
            recovery.Commit(transactionalId, identity.ProducerId, identity.ProducerEpoch, TestContext.Current.CancellationToken));
        Assert.Equal(InvalidProducerEpoch, lateCommit.ErrorCode);
        var fenced = Assert.ThrowsAny<KafkaException>(() => producer.Producer.CommitTransaction(Timeout));
        Assert.True(fenced.Error.Code is ErrorCode.Local_Fenced or ErrorCode.ProducerFenced or ErrorCode.InvalidProducerEpoch,
            $"expected the producer to learn it was fenced, got {fenced.Error.Code}: {fenced.Error.Reason}");
    }

    [Fact]
    public void A_transaction_timeout_above_the_brokers_maximum_is_refused_at_InitTransactions()
    {
        using var cluster = KafkaTestCluster.Start(1, new KafkaTestClusterOptions { TransactionMaxTimeoutMs = 30_000 });
        using (var within = new IdentifiedTransactionalProducer(cluster.BootstrapServers, "within-" + Guid.NewGuid().ToString("N"), transactionTimeoutMs: 30_000))
        {
            within.Producer.InitTransactions(Timeout);
        }

        using var above = new IdentifiedTransactionalProducer(cluster.BootstrapServers, "above-" + Guid.NewGuid().ToString("N"), transactionTimeoutMs: 30_001);
        var refused = Assert.ThrowsAny<KafkaException>(() => above.Producer.InitTransactions(Timeout));
        Assert.Equal(ErrorCode.InvalidTransactionTimeout, refused.Error.Code);

        // Kafka's default maximum (15 minutes) applies unless set otherwise.
        using var defaults = KafkaTestCluster.Start(1);
        using var hour = new IdentifiedTransactionalProducer(defaults.BootstrapServers, "hour-" + Guid.NewGuid().ToString("N"), transactionTimeoutMs: 3_600_000);
        Assert.Equal(ErrorCode.InvalidTransactionTimeout, Assert.ThrowsAny<KafkaException>(() => hour.Producer.InitTransactions(Timeout)).Error.Code);
    }

    private static async Task WaitUntilAsync(Func<bool> condition, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Timed out after {timeout.TotalSeconds} s waiting for {what}.");
            }

            await Task.Delay(50, TestContext.Current.CancellationToken);
        }
    }
}
