using Confluent.Kafka;
using Confluent.Kafka.Admin;

namespace Rivulet.Testing.Kafka.Tests;

/// <summary>
/// Partitions added to an existing topic, as Kafka's CreatePartitions (KIP-195) adds them: through
/// the Admin API and through <see cref="KafkaTestCluster.AddPartitions"/>. The stock mock cluster
/// has neither (Admin CreatePartitions times out); tools/mock-broker's patch adds both.
/// </summary>
public sealed class CreatePartitionsTests(KafkaTestClusterFixture broker) : IClassFixture<KafkaTestClusterFixture>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);
    private static readonly CreatePartitionsOptions Options = new() { RequestTimeout = TimeSpan.FromSeconds(15), OperationTimeout = TimeSpan.FromSeconds(10) };

    [Fact]
    public async Task Admin_CreatePartitions_grows_a_topic_that_keeps_its_records_and_offsets()
    {
        var topic = KafkaTestClusterFixture.UniqueTopic("grow");
        var group = "g-" + Guid.NewGuid().ToString("N");
        broker.Cluster.CreateTopic(topic, partitions: 2, replicationFactor: 2);
        using (var producer = KafkaClients.Producer(broker.BootstrapServers))
        {
            await KafkaClients.ProduceAllAsync(producer, topic, Values("p0", 10).Select(v => ("k", v)), partition: 0);
            await KafkaClients.ProduceAllAsync(producer, topic, Values("p1", 10).Select(v => ("k", v)), partition: 1);
        }

        using (var committer = KafkaClients.Consumer(broker.BootstrapServers, c => c.GroupId = group))
        {
            committer.Commit([new TopicPartitionOffset(topic, 0, 7)]);
        }

        using var admin = KafkaClients.Admin(broker.BootstrapServers);
        await admin.CreatePartitionsAsync([new PartitionsSpecification { Topic = topic, IncreaseTo = 5 }], Options);

        var described = Assert.Single(admin.GetMetadata(topic, Timeout).Topics);
        Assert.Equal([0, 1, 2, 3, 4], described.Partitions.Select(p => p.PartitionId).Order());
        Assert.All(described.Partitions, p =>
        {
            // The topic's replication factor, on distinct brokers, led by one of them.
            Assert.Equal(2, p.Replicas.Distinct().Count());
            Assert.Contains(p.Leader, p.Replicas);
        });

        using (var producer = KafkaClients.Producer(broker.BootstrapServers))
        {
            foreach (var partition in new[] { 2, 3, 4 })
            {
                await KafkaClients.ProduceAllAsync(producer, topic, Values($"p{partition}", 3).Select(v => ("k", v)), partition);
            }

            // The old partitions' logs went along: the next offset of partition 0 is still 10.
            var next = await producer.ProduceAsync(new TopicPartition(topic, 0), new Message<string, string> { Key = "k", Value = "p0-10" }, TestContext.Current.CancellationToken);
            Assert.Equal(10, next.Offset.Value);
        }

        using var consumer = KafkaClients.Consumer(broker.BootstrapServers, c => c.GroupId = group);
        consumer.Assign(KafkaClients.FromBeginning(topic, 5));
        var read = KafkaClients.ConsumeToEnd(consumer, 5, Timeout);
        var byPartition = read.GroupBy(r => r.Partition.Value).ToDictionary(g => g.Key, g => g.Select(r => (r.Offset.Value, r.Message.Value)).ToList());
        Assert.Equal(Values("p0", 11).Select((v, i) => ((long)i, v)), byPartition[0]);
        Assert.Equal(Values("p1", 10).Select((v, i) => ((long)i, v)), byPartition[1]);
        foreach (var partition in new[] { 2, 3, 4 })
        {
            Assert.Equal(Values($"p{partition}", 3).Select((v, i) => ((long)i, v)), byPartition[partition]);
        }

        // The group's committed offset of an old partition survived; the new ones have none yet.
        var committed = consumer.Committed([new TopicPartition(topic, 0), new TopicPartition(topic, 3)], Timeout);
        Assert.Equal(7, committed.Single(c => c.Partition == 0).Offset.Value);
        Assert.Equal(Offset.Unset, committed.Single(c => c.Partition == 3).Offset);

        var (exit, output, error) = await Kcat.RunAsync($"-b {broker.BootstrapServers} -L -t {topic}");
        Assert.True(exit == 0, error);
        Assert.Contains($"topic \"{topic}\" with 5 partitions", output);
    }

    [Fact]
    public async Task Admin_CreatePartitions_refuses_no_increase_and_unknown_topics_per_topic()
    {
        var topic = KafkaTestClusterFixture.UniqueTopic("refuse");
        var other = KafkaTestClusterFixture.UniqueTopic("refuse-other");
        var missing = KafkaTestClusterFixture.UniqueTopic("missing");
        broker.Cluster.CreateTopic(topic, partitions: 3);
        broker.Cluster.CreateTopic(other, partitions: 1);
        using var admin = KafkaClients.Admin(broker.BootstrapServers);

        var refused = await Assert.ThrowsAsync<CreatePartitionsException>(() => admin.CreatePartitionsAsync(
        [
            new PartitionsSpecification { Topic = topic, IncreaseTo = 3 },
            new PartitionsSpecification { Topic = other, IncreaseTo = 2 },
            new PartitionsSpecification { Topic = missing, IncreaseTo = 2 },
        ], Options));

        var results = refused.Results.ToDictionary(r => r.Topic);
        Assert.Equal(ErrorCode.InvalidPartitions, results[topic].Error.Code);
        Assert.Contains("already has 3 partition", results[topic].Error.Reason);
        Assert.Equal(ErrorCode.UnknownTopicOrPart, results[missing].Error.Code);
        // Each topic stands alone: the valid one in the same request was grown.
        Assert.Equal(ErrorCode.NoError, results[other].Error.Code);
        Assert.Equal(2, PartitionCount(admin, other));

        var fewer = await Assert.ThrowsAsync<CreatePartitionsException>(() =>
            admin.CreatePartitionsAsync([new PartitionsSpecification { Topic = topic, IncreaseTo = 2 }], Options));
        var report = Assert.Single(fewer.Results);
        Assert.Equal(ErrorCode.InvalidPartitions, report.Error.Code);
        Assert.Contains("2 would not be an increase", report.Error.Reason);
        Assert.Equal(3, PartitionCount(admin, topic));
    }

    [Fact]
    public async Task Admin_CreatePartitions_validate_only_checks_without_changing_the_topic()
    {
        var topic = KafkaTestClusterFixture.UniqueTopic("validate");
        broker.Cluster.CreateTopic(topic, partitions: 2);
        using var admin = KafkaClients.Admin(broker.BootstrapServers);
        var validateOnly = new CreatePartitionsOptions { RequestTimeout = Options.RequestTimeout, OperationTimeout = Options.OperationTimeout, ValidateOnly = true };

        await admin.CreatePartitionsAsync([new PartitionsSpecification { Topic = topic, IncreaseTo = 4 }], validateOnly);
        Assert.Equal(2, PartitionCount(admin, topic));

        var refused = await Assert.ThrowsAsync<CreatePartitionsException>(() =>
            admin.CreatePartitionsAsync([new PartitionsSpecification { Topic = topic, IncreaseTo = 1 }], validateOnly));
        Assert.Equal(ErrorCode.InvalidPartitions, Assert.Single(refused.Results).Error.Code);
        Assert.Equal(2, PartitionCount(admin, topic));
    }

    [Fact]
    public async Task Admin_CreatePartitions_places_replicas_as_assigned_and_checks_the_assignment()
    {
        var topic = KafkaTestClusterFixture.UniqueTopic("assign");
        broker.Cluster.CreateTopic(topic, partitions: 1, replicationFactor: 2);
        using var admin = KafkaClients.Admin(broker.BootstrapServers);

        async Task<Error> RefusedAsync(params List<int>[] assignment)
        {
            var refused = await Assert.ThrowsAsync<CreatePartitionsException>(() => admin.CreatePartitionsAsync(
                [new PartitionsSpecification { Topic = topic, IncreaseTo = 3, ReplicaAssignments = [.. assignment] }], Options));
            return Assert.Single(refused.Results).Error;
        }

        var tooFew = await RefusedAsync([1, 2]);
        Assert.Equal(ErrorCode.InvalidReplicaAssignment, tooFew.Code);
        Assert.Contains("2 additional partition(s), but only 1 assignment(s)", tooFew.Reason);
        var unknownBroker = await RefusedAsync([1, 2], [9, 1]);
        Assert.Equal(ErrorCode.InvalidReplicaAssignment, unknownBroker.Code);
        Assert.Contains("broker 9", unknownBroker.Reason);
        var twice = await RefusedAsync([1, 2], [3, 3]);
        Assert.Equal(ErrorCode.InvalidReplicaAssignment, twice.Code);
        Assert.Contains("more than once", twice.Reason);
        var otherReplicationFactor = await RefusedAsync([1, 2], [3]);
        Assert.Equal(ErrorCode.InvalidReplicaAssignment, otherReplicationFactor.Code);
        Assert.Contains("not consistent", otherReplicationFactor.Reason);
        Assert.Equal(1, PartitionCount(admin, topic));

        await admin.CreatePartitionsAsync([new PartitionsSpecification { Topic = topic, IncreaseTo = 3, ReplicaAssignments = [[3, 1], [2, 3]] }], Options);
        var partitions = Assert.Single(admin.GetMetadata(topic, Timeout).Topics).Partitions.ToDictionary(p => p.PartitionId);
        // The first replica of an assignment leads, as in Kafka.
        Assert.Equal([3, 1], partitions[1].Replicas);
        Assert.Equal(3, partitions[1].Leader);
        Assert.Equal([2, 3], partitions[2].Replicas);
        Assert.Equal(2, partitions[2].Leader);
    }

    [Fact]
    public async Task AddPartitions_grows_the_topic_for_running_clients_with_its_replication_factor()
    {
        var topic = KafkaTestClusterFixture.UniqueTopic("add");
        broker.Cluster.CreateTopic(topic, partitions: 1, replicationFactor: 3);
        // A client that already knows the topic learns of the new partitions from its next metadata refresh.
        using var producer = KafkaClients.Producer(broker.BootstrapServers, c => c.TopicMetadataRefreshIntervalMs = 200);
        await producer.ProduceAsync(new TopicPartition(topic, 0), new Message<string, string> { Key = "k", Value = "before" }, TestContext.Current.CancellationToken);

        broker.Cluster.AddPartitions(topic, 4);

        using var admin = KafkaClients.Admin(broker.BootstrapServers);
        var described = Assert.Single(admin.GetMetadata(topic, Timeout).Topics);
        Assert.Equal(4, described.Partitions.Count);
        Assert.All(described.Partitions, p => Assert.Equal([1, 2, 3], p.Replicas.Order()));
        // Until that refresh the client refuses the partition locally, as it would with Kafka.
        var deadline = DateTime.UtcNow + Timeout;
        DeliveryResult<string, string>? delivered = null;
        while (delivered is null)
        {
            try
            {
                delivered = await producer.ProduceAsync(new TopicPartition(topic, 3), new Message<string, string> { Key = "k", Value = "after" }, TestContext.Current.CancellationToken);
            }
            catch (ProduceException<string, string> e) when (e.Error.Code == ErrorCode.Local_UnknownPartition && DateTime.UtcNow < deadline)
            {
                await Task.Delay(50, TestContext.Current.CancellationToken);
            }
        }

        Assert.Equal((3, 0L), (delivered.Partition.Value, delivered.Offset.Value));

        using var consumer = KafkaClients.Consumer(broker.BootstrapServers);
        consumer.Assign(KafkaClients.FromBeginning(topic, 4));
        Assert.Equal(["after", "before"], KafkaClients.ConsumeToEnd(consumer, 4, Timeout).Select(r => r.Message.Value).Order());
    }

    [Fact]
    public void AddPartitions_refuses_no_increase_and_unknown_topics_saying_why()
    {
        var topic = KafkaTestClusterFixture.UniqueTopic("add-refuse");
        broker.Cluster.CreateTopic(topic, partitions: 2);

        var same = Assert.Throws<InvalidOperationException>(() => broker.Cluster.AddPartitions(topic, 2));
        Assert.Contains($"'{topic}'", same.Message);
        Assert.Contains("Invalid number of partitions", same.Message);
        Assert.Throws<InvalidOperationException>(() => broker.Cluster.AddPartitions(topic, 1));
        var missing = Assert.Throws<InvalidOperationException>(() => broker.Cluster.AddPartitions(topic + "-missing", 3));
        Assert.Contains("Unknown topic", missing.Message);

        using var admin = KafkaClients.Admin(broker.BootstrapServers);
        Assert.Equal(2, PartitionCount(admin, topic));
    }

    private static int PartitionCount(IAdminClient admin, string topic) => Assert.Single(admin.GetMetadata(topic, Timeout).Topics).Partitions.Count;

    private static IEnumerable<string> Values(string prefix, int count) => TopicReads.Values(prefix, 0, count);
}
