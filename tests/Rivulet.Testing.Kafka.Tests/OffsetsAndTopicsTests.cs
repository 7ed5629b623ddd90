using Confluent.Kafka;
using Confluent.Kafka.Admin;

namespace Rivulet.Testing.Kafka.Tests;

public sealed class OffsetsAndTopicsTests(KafkaTestClusterFixture broker) : IClassFixture<KafkaTestClusterFixture>
{
    [Fact]
    public async Task OffsetsForTimes_answers_the_first_offset_at_or_after_the_timestamp()
    {
        var topic = KafkaTestClusterFixture.UniqueTopic();
        broker.Cluster.CreateTopic(topic, partitions: 1);
        using (var producer = KafkaClients.Producer(broker.BootstrapServers))
        {
            foreach (var (ts, i) in new[] { 1_000L, 2_000L, 2_000L, 3_000L, 5_000L }.Select((ts, i) => (ts, i)))
            {
                await producer.ProduceAsync(topic, new Message<string, string>
                {
                    Key = "k",
                    Value = i.ToString(),
                    Timestamp = new Timestamp(ts, TimestampType.CreateTime),
                }, TestContext.Current.CancellationToken);
            }
        }

        using var consumer = KafkaClients.Consumer(broker.BootstrapServers);
        long OffsetFor(long timestamp) => consumer
            .OffsetsForTimes([new TopicPartitionTimestamp(topic, 0, new Timestamp(timestamp, TimestampType.CreateTime))], TimeSpan.FromSeconds(10))
            .Single().Offset.Value;

        Assert.Equal(0, OffsetFor(0));
        Assert.Equal(0, OffsetFor(1_000));
        Assert.Equal(1, OffsetFor(1_500));
        Assert.Equal(1, OffsetFor(2_000));
        Assert.Equal(3, OffsetFor(2_001));
        Assert.Equal(4, OffsetFor(4_000));
        // No record that late: Kafka answers "no offset" (-1), which the client reports as End.
        Assert.Equal(Offset.End.Value, OffsetFor(6_000));
    }

    [Fact]
    public async Task Admin_CreateTopics_creates_the_partitions_asked_for_and_rejects_duplicates()
    {
        var topic = KafkaTestClusterFixture.UniqueTopic();
        using var admin = KafkaClients.Admin(broker.BootstrapServers);
        var options = new CreateTopicsOptions { RequestTimeout = TimeSpan.FromSeconds(15), OperationTimeout = TimeSpan.FromSeconds(10) };
        await admin.CreateTopicsAsync([new TopicSpecification { Name = topic, NumPartitions = 5, ReplicationFactor = 2 }], options);

        var metadata = admin.GetMetadata(topic, TimeSpan.FromSeconds(10));
        var described = Assert.Single(metadata.Topics);
        Assert.Equal(ErrorCode.NoError, described.Error.Code);
        Assert.Equal(5, described.Partitions.Count);
        Assert.All(described.Partitions, p => Assert.Equal(2, p.Replicas.Length));

        var duplicate = await Assert.ThrowsAsync<CreateTopicsException>(() =>
            admin.CreateTopicsAsync([new TopicSpecification { Name = topic, NumPartitions = 1, ReplicationFactor = 1 }], options));
        Assert.Equal(ErrorCode.TopicAlreadyExists, Assert.Single(duplicate.Results).Error.Code);

        var tooManyReplicas = await Assert.ThrowsAsync<CreateTopicsException>(() =>
            admin.CreateTopicsAsync([new TopicSpecification { Name = topic + "-r", NumPartitions = 1, ReplicationFactor = 4 }], options));
        Assert.Equal(ErrorCode.InvalidReplicationFactor, Assert.Single(tooManyReplicas.Results).Error.Code);
    }
}
