using System.Diagnostics;
using Confluent.Kafka;
using Rivulet.Connectors.Kafka.Native;

namespace Rivulet.Benchmarks.Kafka;

/// <summary>
/// The sink benchmark's baseline: a plain Confluent.Kafka producer loop (idempotent, acks=all)
/// writing the same records, timed until the last one is acknowledged.
/// </summary>
internal static class PlainProducerBaseline
{
    public static BenchmarkFigure Run(string bootstrap, string topic, long records, int valueBytes)
    {
        LibrdkafkaLoader.EnsureLoaded();
        using var producer = new ProducerBuilder<byte[]?, byte[]?>(new ProducerConfig
        {
            BootstrapServers = bootstrap,
            EnableIdempotence = true,
            Acks = Acks.All,
            Partitioner = Partitioner.Murmur2Random,
        }).Build();
        var value = BenchmarkData.Value(valueBytes);
        long failed = 0;
        Action<DeliveryReport<byte[]?, byte[]?>> onDelivery = report =>
        {
            if (report.Error.IsError)
            {
                Interlocked.Increment(ref failed);
            }
        };
        var clock = Stopwatch.StartNew();
        for (long i = 0; i < records; i++)
        {
            while (true)
            {
                try
                {
                    producer.Produce(topic, new Message<byte[]?, byte[]?> { Value = value }, onDelivery);
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

        clock.Stop();
        if (failed > 0)
        {
            throw new InvalidOperationException($"the baseline producer failed to deliver {failed} records");
        }

        return new BenchmarkFigure("plain producer loop (idempotent, acks=all)", records, clock.Elapsed);
    }
}
