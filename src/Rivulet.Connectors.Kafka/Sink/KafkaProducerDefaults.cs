using Confluent.Kafka;

namespace Rivulet.Connectors.Kafka.Sink;

/// <summary>Producer settings the sink applies unless the user's properties say otherwise.</summary>
public static class KafkaProducerDefaults
{
    /// <summary>
    /// librdkafka's default partitioner hashes keys with CRC32; the Java client (and so every
    /// Flink job) uses murmur2. Keyed records must land on the same partition whichever client
    /// wrote them, so the sink defaults to murmur2 (random for null keys, as Java's sticky default
    /// spreads them).
    /// </summary>
    public const Partitioner JavaCompatiblePartitioner = Partitioner.Murmur2Random;
}
