using Confluent.Kafka;

namespace Rivulet.Testing.Kafka.Tests;

public sealed class ProduceConsumeTests(KafkaTestClusterFixture broker) : IClassFixture<KafkaTestClusterFixture>
{
    [Fact]
    public async Task Records_come_back_complete_and_in_order_per_partition()
    {
        var topic = KafkaTestClusterFixture.UniqueTopic();
        broker.Cluster.CreateTopic(topic, partitions: 3, replicationFactor: 3);
        using (var producer = KafkaClients.Producer(broker.BootstrapServers))
        {
            await KafkaClients.ProduceAllAsync(producer, topic, Enumerable.Range(0, 300).Select(i => ($"k{i % 7}", i.ToString())));
        }

        using var consumer = KafkaClients.Consumer(broker.BootstrapServers);
        consumer.Assign(KafkaClients.FromBeginning(topic, 3));
        var read = KafkaClients.ConsumeUntil(consumer, 300, TimeSpan.FromSeconds(20));

        Assert.Equal(Enumerable.Range(0, 300), read.Select(r => int.Parse(r.Message.Value)).Order());
        foreach (var partition in read.GroupBy(r => r.Partition.Value))
        {
            // Same key -> same partition, and within a partition offsets rise with the send order.
            Assert.Equal(partition.Select(r => r.Offset.Value).Order(), partition.Select(r => r.Offset.Value));
            Assert.Equal(partition.Select(r => int.Parse(r.Message.Value)).Order(), partition.Select(r => int.Parse(r.Message.Value)));
        }

        Assert.All(read.GroupBy(r => r.Message.Key), byKey => Assert.Single(byKey.Select(r => r.Partition.Value).Distinct()));
    }

    [Fact]
    public async Task Group_offsets_are_committed_and_read_back_by_a_new_consumer()
    {
        var topic = KafkaTestClusterFixture.UniqueTopic();
        var group = "group-" + Guid.NewGuid().ToString("N");
        broker.Cluster.CreateTopic(topic, partitions: 2);
        using (var producer = KafkaClients.Producer(broker.BootstrapServers))
        {
            await KafkaClients.ProduceAllAsync(producer, topic, Enumerable.Range(0, 10).Select(i => ("k", i.ToString())), partition: 0);
        }

        using (var first = KafkaClients.Consumer(broker.BootstrapServers, c => c.GroupId = group))
        {
            first.Commit([new TopicPartitionOffset(topic, 0, 7), new TopicPartitionOffset(topic, 1, 0)]);
        }

        using var second = KafkaClients.Consumer(broker.BootstrapServers, c => c.GroupId = group);
        var committed = second.Committed([new TopicPartition(topic, 0), new TopicPartition(topic, 1)], TimeSpan.FromSeconds(10));
        Assert.Equal(7, committed.Single(c => c.Partition == 0).Offset.Value);
        Assert.Equal(0, committed.Single(c => c.Partition == 1).Offset.Value);

        // A consumer assigned at the stored offsets resumes exactly there.
        second.Assign(committed);
        var read = KafkaClients.ConsumeUntil(second, 3, TimeSpan.FromSeconds(10));
        Assert.Equal(["7", "8", "9"], read.Select(r => r.Message.Value));
    }

    [Fact]
    public async Task Idempotent_producer_keeps_order_without_duplicates_under_retriable_errors()
    {
        // Injected errors hit whoever sends next: a cluster of its own keeps them in this test.
        using var cluster = KafkaTestCluster.Start(brokerCount: 3);
        var topic = KafkaTestClusterFixture.UniqueTopic();
        cluster.CreateTopic(topic, partitions: 1, replicationFactor: 3);
        cluster.InjectRequestErrors(
            KafkaApiKey.Produce,
            ErrorCode.NotEnoughReplicas, ErrorCode.RequestTimedOut, ErrorCode.NotEnoughReplicasAfterAppend, ErrorCode.NotLeaderForPartition, ErrorCode.RequestTimedOut);

        using (var producer = KafkaClients.Producer(cluster.BootstrapServers, c =>
        {
            c.EnableIdempotence = true;
            c.MaxInFlight = 5;
            c.BatchNumMessages = 20;
            c.RetryBackoffMs = 10;
        }))
        {
            await KafkaClients.ProduceAllAsync(producer, topic, Enumerable.Range(0, 500).Select(i => ("k", i.ToString())));
        }

        using var consumer = KafkaClients.Consumer(cluster.BootstrapServers);
        consumer.Assign(KafkaClients.FromBeginning(topic, 1));
        var read = KafkaClients.ConsumeToEnd(consumer, 1, TimeSpan.FromSeconds(20));
        Assert.Equal(Enumerable.Range(0, 500).Select(i => i.ToString()), read.Select(r => r.Message.Value));
    }

    [Fact]
    public async Task Records_sent_while_the_leader_is_down_arrive_once_it_is_back()
    {
        using var cluster = KafkaTestCluster.Start(brokerCount: 1);
        var topic = KafkaTestClusterFixture.UniqueTopic();
        cluster.CreateTopic(topic, partitions: 1);
        using var producer = KafkaClients.Producer(cluster.BootstrapServers, c => c.EnableIdempotence = true);
        await KafkaClients.ProduceAllAsync(producer, topic, Enumerable.Range(0, 50).Select(i => ("k", i.ToString())));

        cluster.SetBrokerDown(1);
        var whileDown = Enumerable.Range(50, 50)
            .Select(i => producer.ProduceAsync(topic, new Message<string, string> { Key = "k", Value = i.ToString() }, TestContext.Current.CancellationToken))
            .ToList();
        // Flush gives up after its timeout and says how many records are still unacknowledged:
        // with the only broker down, that must be all of them.
        Assert.Equal(50, producer.Flush(TimeSpan.FromSeconds(1)));
        Assert.DoesNotContain(whileDown, t => t.IsCompleted);

        cluster.SetBrokerUp(1);
        await Task.WhenAll(whileDown).WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);

        using var consumer = KafkaClients.Consumer(cluster.BootstrapServers);
        consumer.Assign(KafkaClients.FromBeginning(topic, 1));
        var read = KafkaClients.ConsumeToEnd(consumer, 1, TimeSpan.FromSeconds(20));
        Assert.Equal(Enumerable.Range(0, 100).Select(i => i.ToString()), read.Select(r => r.Message.Value));
    }
}
