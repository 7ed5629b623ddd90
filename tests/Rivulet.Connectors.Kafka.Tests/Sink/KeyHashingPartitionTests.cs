using System.Text;
using Rivulet.Connectors.Kafka.Sink;
using Rivulet.Connectors.Kafka.Sink.Metrics;
using Rivulet.Connectors.Kafka.Sink.Serialization;
using Rivulet.Connectors.Kafka.Sink.Writer;
using Rivulet.Testing.Kafka;

namespace Rivulet.Connectors.Kafka.Tests.Sink;

/// <summary>
/// With no partitioner the sink leaves partitioning to the client's key hashing, which must put a
/// key where the Java client would: murmur2 of the key bytes, made positive, modulo the partition
/// count (Utils.toPositive(Utils.murmur2(key)) % partitions). The hashes are Kafka's own test
/// vectors (UtilsTest.testMurmur2).
/// </summary>
public sealed class KeyHashingPartitionTests(KafkaTestClusterFixture broker) : IClassFixture<KafkaTestClusterFixture>
{
    private static readonly (string Key, int JavaMurmur2)[] KafkaTestVectors =
    [
        ("21", -973932308),
        ("foobar", -790332482),
        ("a-little-bit-long-string", -985981536),
        ("a-little-bit-longer-string", -1486304829),
        ("lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8", -58897971),
        ("abc", 479470107),
    ];

    [Theory]
    [InlineData(7)]
    [InlineData(32)]
    public void Keys_land_on_the_partition_the_Java_client_chooses(int partitions)
    {
        var topic = KafkaTestClusterFixture.UniqueTopic("murmur");
        broker.Cluster.CreateTopic(topic, partitions);
        using var metrics = new KafkaSinkMetrics("sink", 0);
        using (var writer = new NonTransactionalKafkaWriter<string>(
            SinkTestSupport.Settings(broker.BootstrapServers, topic, Semantic.AtLeastOnce), new KeyOnlySchema(), partitioner: null, metrics, SinkTestSupport.Logger, TestContext.Current.CancellationToken))
        {
            foreach (var (key, _) in KafkaTestVectors)
            {
                writer.Write(key, null);
            }

            writer.Finish();
        }

        var landed = SinkTestSupport.ReadAll(broker.BootstrapServers, topic, partitions)
            .ToDictionary(r => SinkTestSupport.Text(r.Message.Key), r => r.Partition.Value);
        Assert.Equal(
            KafkaTestVectors.ToDictionary(v => v.Key, v => (v.JavaMurmur2 & 0x7FFFFFFF) % partitions),
            landed);
    }

    private sealed class KeyOnlySchema : IKafkaSerializationSchema<string>
    {
        public KafkaProducerRecord Serialize(string element, long? timestampMs) => new(Encoding.UTF8.GetBytes(element), [1]);
    }
}
