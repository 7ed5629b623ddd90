using System.Diagnostics;
using Confluent.Kafka;

namespace Rivulet.Benchmarks.Kafka;

/// <summary>
/// The sink benchmark's baseline: a plain Confluent.Kafka producer loop (idempotent, acks=all)
/// writing the same records to the same partition as the sink, timed from the first send until
/// the last record is acknowledged.
/// </summary>
internal static class PlainProducerBaseline
{
    public static BenchmarkFigure Run(string bootstrap, TopicPartition target, long records, byte[] value)
    {
        using var producer = new ProducerBuilder<byte[]?, byte[]?>(new ProducerConfig
        {
            BootstrapServers = bootstrap,
            EnableIdempotence = true,
            Acks = Acks.All,
        }).Build();
        long failed = 0;
        Action<DeliveryReport<byte[]?, byte[]?>> onDelivery = report =>
        {
            if (report.Error.IsError)
            {
                Interlocked.Increment(ref failed);
            }
        };
        var cpuBefore = Environment.CpuUsage.TotalTime;
        var clock = Stopwatch.StartNew();
        for (long i = 0; i < records; i++)
        {
            while (true)
            {
                try
                {
                    producer.Produce(target, new Message<byte[]?, byte[]?> { Value = value }, onDelivery);
                    break;
                }
                catch (ProduceException<byte[]?, byte[]?> e) when (e.Error.Code == ErrorCode.Local_QueueFull)
                {
                    producer.Poll(TimeSpan.FromMilliseconds(10));
                }
            }
        }

        while (producer.Flush(TimeSpan.FromSeconds(1)) > 0)
        {
        }

        clock.Stop();
        if (failed > 0)
        {
            throw new InvalidOperationException($"the plain producer failed to deliver {failed} records");
        }

        return new BenchmarkFigure("plain producer loop (idempotent, acks=all)", records, clock.Elapsed) { ProcessCpu = Environment.CpuUsage.TotalTime - cpuBefore };
    }
}
