using Confluent.Kafka;

namespace Rivulet.Testing.Kafka.Tests;

/// <summary>
/// Kafka keeps a partition's whole log by default (retention.bytes = -1); the stock mock dropped
/// everything beyond 5 MB per partition, so a reader from the beginning of a larger partition
/// silently started in the middle (the source benchmark reads a million records).
/// </summary>
public sealed class RetentionTests(KafkaTestClusterFixture broker) : IClassFixture<KafkaTestClusterFixture>
{
    [Fact]
    public void A_partition_larger_than_the_stock_mocks_5_MB_keeps_its_first_record()
    {
        var topic = KafkaTestClusterFixture.UniqueTopic();
        broker.Cluster.CreateTopic(topic, partitions: 1);
        const int records = 60_000;
        var value = new string('v', 200);
        long failed = 0;
        using (var producer = KafkaClients.Producer(broker.BootstrapServers, c => c.LingerMs = 20))
        {
            for (var i = 0; i < records; i++)
            {
                producer.Produce(topic, new Message<string, string> { Key = i.ToString(System.Globalization.CultureInfo.InvariantCulture), Value = value }, report =>
                {
                    if (report.Error.IsError)
                    {
                        Interlocked.Increment(ref failed);
                    }
                });
                if (i % 10_000 == 0)
                {
                    producer.Poll(TimeSpan.Zero);
                }
            }

            Assert.Equal(0, producer.Flush(TimeSpan.FromSeconds(60)));
        }

        Assert.Equal(0, Interlocked.Read(ref failed));
        using var consumer = KafkaClients.Consumer(broker.BootstrapServers);
        var watermarks = consumer.QueryWatermarkOffsets(new TopicPartition(topic, 0), TimeSpan.FromSeconds(10));
        Assert.Equal(0, watermarks.Low.Value);
        Assert.Equal(records, watermarks.High.Value);

        consumer.Assign(new TopicPartitionOffset(topic, 0, Offset.Beginning));
        var first = consumer.Consume(TimeSpan.FromSeconds(10));
        Assert.NotNull(first);
        Assert.Equal(0, first.Offset.Value);
        Assert.Equal("0", first.Message.Key);
    }
}
