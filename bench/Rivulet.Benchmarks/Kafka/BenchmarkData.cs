using Confluent.Kafka;
using Rivulet.Connectors.Kafka.Native;

namespace Rivulet.Benchmarks.Kafka;

/// <summary>Input for the Kafka benchmarks: fixed-size values written fast.</summary>
internal static class BenchmarkData
{
    public static byte[] Value(int size)
    {
        var value = new byte[size];
        for (var i = 0; i < size; i++)
        {
            value[i] = (byte)('a' + (i % 26));
        }

        return value;
    }

    /// <summary>Fills <paramref name="topic"/> with <paramref name="records"/> values spread over its partitions.</summary>
    public static void Fill(string bootstrap, string topic, int partitions, long records, int valueBytes)
    {
        LibrdkafkaLoader.EnsureLoaded();
        using var producer = new ProducerBuilder<byte[]?, byte[]?>(new ProducerConfig
        {
            BootstrapServers = bootstrap,
            LingerMs = 20,
            BatchSize = 1_000_000,
            Acks = Acks.Leader,
        }).Build();
        var value = Value(valueBytes);
        for (long i = 0; i < records; i++)
        {
            while (true)
            {
                try
                {
                    producer.Produce(new TopicPartition(topic, (int)(i % partitions)), new Message<byte[]?, byte[]?> { Value = value });
                    break;
                }
                catch (ProduceException<byte[]?, byte[]?> e) when (e.Error.Code == ErrorCode.Local_QueueFull)
                {
                    producer.Flush(TimeSpan.FromMilliseconds(100));
                }
            }
        }

        while (producer.Flush(TimeSpan.FromSeconds(1)) > 0)
        {
        }
    }
}
