using Confluent.Kafka;
using Rivulet.Connectors.Kafka.Protocol;

namespace Rivulet.Testing.Kafka.Tests;

/// <summary>
/// A transaction coordinator ends a transaction for whoever names its transactional id, producer
/// id and current epoch — the exactly-once sink's crash recovery relies on it — and answers a
/// wrong producer id or epoch with Kafka's error codes (TransactionCoordinator.endTransaction;
/// EndTxn v0/v1, which librdkafka and Rivulet's recovery client speak, get PRODUCER_FENCED as
/// INVALID_PRODUCER_EPOCH). The other connection is Rivulet's managed <see cref="TransactionRecoveryClient"/>.
/// </summary>
public sealed class EndTxnFromAnotherConnectionTests(KafkaTestClusterFixture broker) : IClassFixture<KafkaTestClusterFixture>
{
    private const short InvalidProducerEpoch = 47;
    private const short InvalidTxnState = 48;
    private const short InvalidProducerIdMapping = 49;
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task EndTxn_with_the_right_ids_from_another_connection_ends_the_open_transaction(bool commit)
    {
        var topic = NewTopic();
        var transactionalId = "recover-" + Guid.NewGuid().ToString("N");
        using var producer = new IdentifiedTransactionalProducer(broker.BootstrapServers, transactionalId);
        producer.Producer.InitTransactions(Timeout);
        producer.WriteInTransaction(topic, TopicReads.Values("open", 0, 5), Timeout);
        var identity = producer.IdentityInTransaction(Timeout);
        Assert.Equal(0, TopicReads.LastStableOffset(broker.BootstrapServers, topic));

        var recovery = RecoveryClient();
        End(recovery, commit, transactionalId, identity.ProducerId, identity.ProducerEpoch);

        // Ended: the 5 records and the marker are behind the last stable offset.
        Assert.Equal(6, TopicReads.LastStableOffset(broker.BootstrapServers, topic));
        Assert.Equal(commit ? TopicReads.Values("open", 0, 5) : [], TopicReads.ReadAll(broker.BootstrapServers, topic, IsolationLevel.ReadCommitted));
        Assert.Equal(TopicReads.Values("open", 0, 5), TopicReads.ReadAll(broker.BootstrapServers, topic, IsolationLevel.ReadUncommitted));

        // A retry of the same EndTxn (a recovery that crashed after sending it) succeeds and changes
        // nothing; the opposite outcome is INVALID_TXN_STATE.
        End(recovery, commit, transactionalId, identity.ProducerId, identity.ProducerEpoch);
        Assert.Equal(6, TopicReads.EndOffset(broker.BootstrapServers, topic));
        var opposite = Assert.Throws<TransactionRecoveryException>(() => End(recovery, !commit, transactionalId, identity.ProducerId, identity.ProducerEpoch));
        Assert.Equal(InvalidTxnState, opposite.ErrorCode);
    }

    [Fact]
    public async Task EndTxn_with_a_wrong_epoch_or_producer_id_is_refused_with_Kafkas_error_and_leaves_the_transaction_open()
    {
        var topic = NewTopic();
        var transactionalId = "wrong-ids-" + Guid.NewGuid().ToString("N");
        using (var predecessor = new IdentifiedTransactionalProducer(broker.BootstrapServers, transactionalId))
        {
            predecessor.Producer.InitTransactions(Timeout);
        }

        // The second InitTransactions of the id: same producer id, epoch 1, so epoch 0 is the fenced predecessor's.
        using var producer = new IdentifiedTransactionalProducer(broker.BootstrapServers, transactionalId);
        producer.Producer.InitTransactions(Timeout);
        producer.WriteInTransaction(topic, TopicReads.Values("open", 0, 3), Timeout);
        var identity = producer.IdentityInTransaction(Timeout);
        Assert.Equal(1, identity.ProducerEpoch);

        using var other = new IdentifiedTransactionalProducer(broker.BootstrapServers, "other-" + Guid.NewGuid().ToString("N"));
        other.Producer.InitTransactions(Timeout);
        other.WriteInTransaction(topic, [], Timeout);
        var otherIdentity = other.IdentityInTransaction(Timeout);

        var recovery = RecoveryClient();
        var refusals = new (string Case, long ProducerId, short Epoch, string Id, short Expected)[]
        {
            ("stale epoch", identity.ProducerId, 0, transactionalId, InvalidProducerEpoch),
            ("future epoch", identity.ProducerId, 2, transactionalId, InvalidProducerEpoch),
            ("unknown producer id", identity.ProducerId + 1, identity.ProducerEpoch, transactionalId, InvalidProducerIdMapping),
            ("another id's producer id", otherIdentity.ProducerId, otherIdentity.ProducerEpoch, transactionalId, InvalidProducerIdMapping),
            ("a transactional id never initialized", identity.ProducerId, identity.ProducerEpoch, "never-" + Guid.NewGuid().ToString("N"), InvalidProducerIdMapping),
        };
        foreach (var refusal in refusals)
        {
            var error = Assert.Throws<TransactionRecoveryException>(() =>
                recovery.Commit(refusal.Id, refusal.ProducerId, refusal.Epoch, TestContext.Current.CancellationToken));
            Assert.True(refusal.Expected == error.ErrorCode, $"{refusal.Case}: expected error {refusal.Expected}, got {error.ErrorCode}: {error.Message}");
        }

        // None of them touched the transaction: still open, then committed by the right ids.
        Assert.Equal(0, TopicReads.LastStableOffset(broker.BootstrapServers, topic));
        recovery.Commit(transactionalId, identity.ProducerId, identity.ProducerEpoch, TestContext.Current.CancellationToken);
        Assert.Equal(TopicReads.Values("open", 0, 3), TopicReads.ReadAll(broker.BootstrapServers, topic, IsolationLevel.ReadCommitted));
    }

    [Fact]
    public async Task EndTxn_when_nothing_is_open_is_INVALID_TXN_STATE()
    {
        var transactionalId = "idle-" + Guid.NewGuid().ToString("N");
        using var producer = new IdentifiedTransactionalProducer(broker.BootstrapServers, transactionalId);
        producer.Producer.InitTransactions(Timeout);
        producer.WriteInTransaction(NewTopic(), [], Timeout);
        var identity = producer.IdentityInTransaction(Timeout);

        // BeginTransaction is local to the client: the coordinator has no transaction until a partition is added.
        var error = Assert.Throws<TransactionRecoveryException>(() =>
            RecoveryClient().Commit(transactionalId, identity.ProducerId, identity.ProducerEpoch, TestContext.Current.CancellationToken));
        Assert.Equal(InvalidTxnState, error.ErrorCode);
    }

    private TransactionRecoveryClient RecoveryClient() =>
        new(new Dictionary<string, string> { ["bootstrap.servers"] = broker.BootstrapServers }, TimeSpan.FromSeconds(20));

    private static void End(TransactionRecoveryClient client, bool commit, string transactionalId, long producerId, short epoch)
    {
        if (commit)
        {
            client.Commit(transactionalId, producerId, epoch, TestContext.Current.CancellationToken);
        }
        else
        {
            client.Abort(transactionalId, producerId, epoch, TestContext.Current.CancellationToken);
        }
    }

    private string NewTopic()
    {
        var topic = KafkaTestClusterFixture.UniqueTopic("endtxn");
        broker.Cluster.CreateTopic(topic, 1);
        return topic;
    }
}
