using System.Diagnostics;
using Confluent.Kafka;
using Rivulet.Connectors.Kafka.Native;

namespace Rivulet.Benchmarks.Kafka;

/// <summary>
/// The source benchmark's baseline: a plain Confluent.Kafka consumer loop reading the same
/// partitions from the beginning, touching every value, with no engine around it.
/// </summary>
internal static class PlainConsumerBaseline
{
    public static BenchmarkFigure Run(string bootstrap, string topic, int partitions, long records)
    {
        LibrdkafkaLoader.EnsureLoaded();
        using var consumer = new ConsumerBuilder<byte[]?, byte[]?>(new ConsumerConfig
        {
            BootstrapServers = bootstrap,
            GroupId = "bench-baseline-" + Guid.NewGuid().ToString("N"),
            EnableAutoCommit = false,
        }).Build();
        consumer.Assign(Enumerable.Range(0, partitions).Select(p => new TopicPartitionOffset(topic, p, Offset.Beginning)));
        long read = 0;
        long bytes = 0;
        var clock = Stopwatch.StartNew();
        while (read < records)
        {
            var result = consumer.Consume(TimeSpan.FromSeconds(10)) ?? throw new TimeoutException($"baseline consumer stalled after {read} records");
            bytes += result.Message.Value?.Length ?? 0;
            read++;
        }

        clock.Stop();
        consumer.Close();
        return new BenchmarkFigure("plain consumer loop", read, clock.Elapsed, bytes);
    }
}
