using Confluent.Kafka;
using Rivulet.Connectors.Kafka.Sink.Transactions;

namespace Rivulet.Testing.Kafka.Tests;

/// <summary>
/// What Rivulet's exactly-once sink relies on, checked against Kafka's documented behaviour
/// (KIP-98): the stock mock cluster fails every one of these; tools/mock-broker's patch fixes them.
/// </summary>
public sealed class TransactionConformanceTests(KafkaTestClusterFixture broker) : IClassFixture<KafkaTestClusterFixture>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    [Fact]
    public void Committed_records_are_visible_and_aborted_ones_only_to_read_uncommitted()
    {
        var topic = NewTopic();
        using (var producer = Transactional())
        {
            producer.InitTransactions(Timeout);
            Send(producer, topic, "committed", 0, 5);
            producer.CommitTransaction(Timeout);
            Send(producer, topic, "aborted", 0, 5);
            // Flushed first: librdkafka would otherwise drop still-queued records on abort,
            // and the broker would never see them.
            producer.Flush(Timeout);
            producer.AbortTransaction(Timeout);
            Send(producer, topic, "committed-again", 0, 3);
            producer.CommitTransaction(Timeout);
        }

        Assert.Equal(
            [.. Values("committed", 0, 5), .. Values("committed-again", 0, 3)],
            ReadAll(topic, IsolationLevel.ReadCommitted));
        Assert.Equal(
            [.. Values("committed", 0, 5), .. Values("aborted", 0, 5), .. Values("committed-again", 0, 3)],
            ReadAll(topic, IsolationLevel.ReadUncommitted));
    }

    [Fact]
    public void A_read_committed_consumer_waits_at_an_open_transaction_until_it_commits()
    {
        var topic = NewTopic();
        using var producer = Transactional();
        producer.InitTransactions(Timeout);
        Send(producer, topic, "before", 0, 2);
        producer.CommitTransaction(Timeout);
        Send(producer, topic, "open", 0, 3);
        producer.Flush(Timeout);

        using var consumer = KafkaClients.Consumer(broker.BootstrapServers, c => c.IsolationLevel = IsolationLevel.ReadCommitted);
        consumer.Assign(KafkaClients.FromBeginning(topic, 1));
        // Everything before the open transaction, then the end of what is readable: the last
        // stable offset, not the high watermark.
        var visible = KafkaClients.ConsumeToEnd(consumer, 1, Timeout);
        Assert.Equal(Values("before", 0, 2), visible.Select(r => r.Message.Value));
        // For read_committed, "latest" is the last stable offset: records 0-1, the commit marker
        // at 2, then the open transaction starting at 3.
        var watermarks = consumer.QueryWatermarkOffsets(new TopicPartition(topic, 0), Timeout);
        Assert.Equal(3, watermarks.High.Value);
        Assert.Empty(KafkaClients.ConsumeUntil(consumer, 1, TimeSpan.FromSeconds(1)));

        producer.CommitTransaction(Timeout);
        var released = KafkaClients.ConsumeUntil(consumer, 3, Timeout);
        Assert.Equal(Values("open", 0, 3), released.Select(r => r.Message.Value));
    }

    [Fact]
    public void Offsets_sent_to_a_transaction_are_stored_on_commit_and_dropped_on_abort()
    {
        var topic = NewTopic();
        var group = "txn-group-" + Guid.NewGuid().ToString("N");
        using var groupConsumer = KafkaClients.Consumer(broker.BootstrapServers, c => c.GroupId = group);
        using var producer = Transactional();
        producer.InitTransactions(Timeout);

        Send(producer, topic, "a", 0, 1);
        producer.SendOffsetsToTransaction([new TopicPartitionOffset(topic, 0, 11)], groupConsumer.ConsumerGroupMetadata, Timeout);
        Assert.Equal(Offset.Unset, Committed(groupConsumer, topic));
        producer.CommitTransaction(Timeout);
        Assert.Equal(11, Committed(groupConsumer, topic).Value);

        Send(producer, topic, "b", 0, 1);
        producer.SendOffsetsToTransaction([new TopicPartitionOffset(topic, 0, 22)], groupConsumer.ConsumerGroupMetadata, Timeout);
        producer.AbortTransaction(Timeout);
        Assert.Equal(11, Committed(groupConsumer, topic).Value);
    }

    [Fact]
    public async Task A_second_producer_with_the_same_transactional_id_fences_the_first_and_aborts_its_transaction()
    {
        var topic = NewTopic();
        var transactionalId = "fence-" + Guid.NewGuid().ToString("N");
        using var first = Transactional(transactionalId);
        first.InitTransactions(Timeout);
        Send(first, topic, "zombie", 0, 3);
        first.Flush(Timeout);

        using var second = Transactional(transactionalId);
        second.InitTransactions(Timeout);
        // The open transaction is aborted: the last stable offset moves past its 3 records and
        // the abort marker, so read_committed readers are no longer held back, and see nothing of it.
        Assert.Equal(4, LastStableOffset(topic));
        Assert.Empty(ReadAll(topic, IsolationLevel.ReadCommitted));

        // The zombie's next write is refused as Kafka's partition leader refuses a stale epoch,
        // which librdkafka takes as being fenced: a fatal error, also for its commit.
        var late = await Assert.ThrowsAsync<ProduceException<string, string>>(() =>
            first.ProduceAsync(new TopicPartition(topic, 0), new Message<string, string> { Key = "k", Value = "zombie-late" }, TestContext.Current.CancellationToken));
        Assert.Equal(ErrorCode.InvalidProducerEpoch, late.Error.Code);
        var fenced = Assert.ThrowsAny<KafkaException>(() => first.CommitTransaction(Timeout));
        Assert.True(fenced.Error.IsFatal && fenced.Error.Code == ErrorCode.Local_Fenced,
            $"expected the first producer to be fenced, got {fenced.Error.Code} (fatal: {fenced.Error.IsFatal}): {fenced.Error.Reason}");

        Send(second, topic, "survivor", 0, 2);
        second.CommitTransaction(Timeout);
        Assert.Equal(Values("survivor", 0, 2), ReadAll(topic, IsolationLevel.ReadCommitted));
    }

    [Fact]
    public void Every_producer_gets_a_producer_id_no_other_producer_has()
    {
        // Kafka hands out producer ids from a cluster-wide sequence. The stock mock drew them at
        // random (1,000..900,000,000 in steps of 1,000), so two producers could share one and mix
        // up their sequence numbers and aborted-transaction filtering; 20 random draws in
        // increasing order would be a 1-in-20! chance.
        var topic = NewTopic();
        var identities = new List<ProducerIdentity>();
        for (var i = 0; i < 20; i++)
        {
            using var producer = new IdentifiedTransactionalProducer(broker.BootstrapServers, $"unique-{i}-" + Guid.NewGuid().ToString("N"));
            producer.Producer.InitTransactions(Timeout);
            producer.WriteInTransaction(topic, [$"p{i}"], Timeout);
            identities.Add(producer.IdentityInTransaction(Timeout));
            producer.Producer.AbortTransaction(Timeout);
        }

        Assert.Equal(identities.Select(i => i.ProducerId).Order(), identities.Select(i => i.ProducerId));
        Assert.Equal(identities.Count, identities.Select(i => i.ProducerId).Distinct().Count());
        // A transactional id keeps its producer id when it is initialized again; only the epoch moves.
        var transactionalId = "again-" + Guid.NewGuid().ToString("N");
        var ids = Enumerable.Range(0, 2).Select(_ =>
        {
            using var producer = new IdentifiedTransactionalProducer(broker.BootstrapServers, transactionalId);
            producer.Producer.InitTransactions(Timeout);
            producer.WriteInTransaction(topic, ["again"], Timeout);
            var identity = producer.IdentityInTransaction(Timeout);
            producer.Producer.AbortTransaction(Timeout);
            return identity;
        }).ToList();
        Assert.Equal(ids[0].ProducerId, ids[1].ProducerId);
        Assert.Equal(ids[0].ProducerEpoch + 1, ids[1].ProducerEpoch);
        Assert.DoesNotContain(ids[0].ProducerId, identities.Select(i => i.ProducerId));
    }

    [Fact]
    public void Adding_partitions_keeps_the_aborted_and_the_open_transactions_of_the_old_ones()
    {
        var topic = NewTopic();
        using var producer = Transactional();
        producer.InitTransactions(Timeout);
        Send(producer, topic, "committed", 0, 2);
        producer.CommitTransaction(Timeout);
        Send(producer, topic, "aborted", 0, 2);
        producer.Flush(Timeout);
        producer.AbortTransaction(Timeout);
        Send(producer, topic, "open", 0, 2);
        producer.Flush(Timeout);
        // Offsets 0-1 committed, 2 marker, 3-4 aborted, 5 marker, 6-7 open.
        Assert.Equal(6, LastStableOffset(topic));

        broker.Cluster.AddPartitions(topic, 3);

        Assert.Equal(6, LastStableOffset(topic));
        Assert.Equal(Values("committed", 0, 2), ReadAll(topic, IsolationLevel.ReadCommitted));
        // The same producer goes on where it was: its sequence numbers on partition 0 still count.
        Send(producer, topic, "open", 2, 1);
        producer.CommitTransaction(Timeout);
        Assert.Equal([.. Values("committed", 0, 2), .. Values("open", 0, 3)], ReadAll(topic, IsolationLevel.ReadCommitted));
    }

    [Fact]
    public async Task Kcat_read_committed_agrees()
    {
        var topic = NewTopic();
        using (var producer = Transactional())
        {
            producer.InitTransactions(Timeout);
            Send(producer, topic, "yes", 0, 3);
            producer.CommitTransaction(Timeout);
            Send(producer, topic, "no", 0, 3);
            producer.Flush(Timeout);
            producer.AbortTransaction(Timeout);
        }

        var (exit, committed, error) = await Kcat.RunAsync($"-b {broker.BootstrapServers} -C -t {topic} -o beginning -e -q -X isolation.level=read_committed -f %s\\n");
        Assert.True(exit == 0, error);
        Assert.Equal(Values("yes", 0, 3), committed.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        (exit, var uncommitted, error) = await Kcat.RunAsync($"-b {broker.BootstrapServers} -C -t {topic} -o beginning -e -q -X isolation.level=read_uncommitted -f %s\\n");
        Assert.True(exit == 0, error);
        Assert.Equal([.. Values("yes", 0, 3), .. Values("no", 0, 3)], uncommitted.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    private IProducer<string, string> Transactional(string? transactionalId = null) =>
        KafkaClients.Producer(broker.BootstrapServers, c =>
        {
            c.TransactionalId = transactionalId ?? "txn-" + Guid.NewGuid().ToString("N");
            c.EnableIdempotence = true;
            c.TransactionTimeoutMs = 60_000;
        });

    private static void Send(IProducer<string, string> producer, string topic, string prefix, int from, int count)
    {
        try
        {
            producer.BeginTransaction();
        }
        catch (KafkaException e) when (e.Error.Code == ErrorCode.Local_State)
        {
            // Already in a transaction: keep adding to it.
        }

        foreach (var value in Values(prefix, from, count))
        {
            producer.Produce(new TopicPartition(topic, 0), new Message<string, string> { Key = "k", Value = value });
        }
    }

    private List<string> ReadAll(string topic, IsolationLevel isolation) => TopicReads.ReadAll(broker.BootstrapServers, topic, isolation);

    private long LastStableOffset(string topic) => TopicReads.LastStableOffset(broker.BootstrapServers, topic);

    private static Offset Committed(IConsumer<string, string> consumer, string topic) =>
        consumer.Committed([new TopicPartition(topic, 0)], Timeout).Single().Offset;

    private static IEnumerable<string> Values(string prefix, int from, int count) => TopicReads.Values(prefix, from, count);

    private string NewTopic()
    {
        var topic = KafkaTestClusterFixture.UniqueTopic("txn");
        broker.Cluster.CreateTopic(topic, 1);
        return topic;
    }
}
