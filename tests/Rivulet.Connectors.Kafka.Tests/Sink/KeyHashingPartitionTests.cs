using System.Text;
using Confluent.Kafka;
using Rivulet.Testing.Kafka;

namespace Rivulet.Connectors.Kafka.Tests.Sink;

/// <summary>
/// With no partitioner the sink leaves partitioning to the client's key hashing, which must put a
/// key where the Java client would: murmur2 of the key bytes, made positive, modulo the partition
/// count. The hashes are Kafka's own test vectors (UtilsTest.testMurmur2).
/// </summary>
public sealed class KeyHashingPartitionTests(KafkaTestClusterFixture broker) : IClassFixture<KafkaTestClusterFixture>
{
    public static TheoryData<string, int> JavaMurmur2 => new()
    {
        { "21", -973932308 },
        { "foobar", -790332482 },
        { "a-little-bit-long-string", -985981536 },
        { "a-little-bit-longer-string", -1486304829 },
        { "lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8", -58897971 },
        { "abc", 479470107 },
    };

    [Theory]
    [MemberData(nameof(JavaMurmur2))]
    public async Task Keys_land_on_the_partition_the_Java_client_chooses(string key, int javaHash)
    {
        const int partitions = 7;
        var topic = KafkaTestClusterFixture.UniqueTopic();
        broker.Cluster.CreateTopic(topic, partitions);
        using var producer = KafkaClientsForTests.Producer(broker.BootstrapServers, Rivulet.Connectors.Kafka.Sink.KafkaProducerDefaults.JavaCompatiblePartitioner);

        var delivered = await producer.ProduceAsync(topic, new Message<byte[], byte[]> { Key = Encoding.UTF8.GetBytes(key), Value = [1] }, TestContext.Current.CancellationToken);

        Assert.Equal((javaHash & 0x7FFFFFFF) % partitions, delivered.Partition.Value);
    }
}
