using Confluent.Kafka;
using Rivulet.Connectors.Kafka.Native;

namespace Rivulet.Connectors.Kafka.Tests;

/// <summary>Plain Confluent.Kafka clients for setting up and checking connector tests.</summary>
internal static class KafkaClientsForTests
{
    public static IProducer<byte[], byte[]> Producer(string bootstrap, Partitioner partitioner = Partitioner.ConsistentRandom)
    {
        LibrdkafkaLoader.EnsureLoaded();
        return new ProducerBuilder<byte[], byte[]>(new ProducerConfig { BootstrapServers = bootstrap, Partitioner = partitioner, Acks = Acks.All }).Build();
    }
}
