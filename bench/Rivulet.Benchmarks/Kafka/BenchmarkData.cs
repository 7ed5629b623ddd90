using Confluent.Kafka;

namespace Rivulet.Benchmarks.Kafka;

/// <summary>Input for the Kafka benchmarks: fixed-size values, written fast and checked.</summary>
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

    /// <summary>Fills <paramref name="topic"/> with <paramref name="records"/> values spread evenly over its partitions; throws unless all arrived.</summary>
    public static void Fill(string bootstrap, string topic, int partitions, long records, int valueBytes)
    {
        using var producer = new ProducerBuilder<byte[]?, byte[]?>(new ProducerConfig
        {
            BootstrapServers = bootstrap,
            LingerMs = 20,
            Acks = Acks.Leader,
        }).Build();
        var value = Value(valueBytes);
        long failed = 0;
        Action<DeliveryReport<byte[]?, byte[]?>> onDelivery = report =>
        {
            if (report.Error.IsError)
            {
                Interlocked.Increment(ref failed);
            }
        };
        for (long i = 0; i < records; i++)
        {
            while (true)
            {
                try
                {
                    producer.Produce(new TopicPartition(topic, (int)(i % partitions)), new Message<byte[]?, byte[]?> { Value = value }, onDelivery);
                    break;
                }
                catch (ProduceException<byte[]?, byte[]?> e) when (e.Error.Code == ErrorCode.Local_QueueFull)
                {
                    producer.Poll(TimeSpan.FromMilliseconds(100));
                }
            }
        }

        while (producer.Flush(TimeSpan.FromSeconds(1)) > 0)
        {
        }

        var stored = TopicCheck.EndOffsets(bootstrap, topic, partitions).Sum();
        if (failed > 0 || stored != records)
        {
            throw new InvalidOperationException($"filling topic '{topic}' failed: {failed} delivery errors, {stored} of {records} records stored");
        }
    }
}
