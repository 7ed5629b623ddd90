using Confluent.Kafka;

namespace Rivulet.Connectors.Kafka.Tests;

/// <summary>Plain Confluent.Kafka clients for setting up and checking connector tests.</summary>
internal static class KafkaClientsForTests
{
    public static IProducer<byte[], byte[]> Producer(string bootstrap, Partitioner partitioner = Partitioner.ConsistentRandom)
    {
        return new ProducerBuilder<byte[], byte[]>(new ProducerConfig { BootstrapServers = bootstrap, Partitioner = partitioner, Acks = Acks.All }).Build();
    }
}
