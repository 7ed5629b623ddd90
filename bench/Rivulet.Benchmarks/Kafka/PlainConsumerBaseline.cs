using Confluent.Kafka;

namespace Rivulet.Benchmarks.Kafka;

/// <summary>
/// The source benchmark's baseline: a plain Confluent.Kafka consumer loop reading the same
/// partitions from the beginning, touching every value, with no engine around it.
/// </summary>
internal static class PlainConsumerBaseline
{
    /// <param name="clientProperties">Client settings on top of librdkafka's defaults.</param>
    public static BenchmarkFigure Run(string name, string bootstrap, string topic, int partitions, long records, IReadOnlyDictionary<string, string> clientProperties)
    {
        using var consumer = new ConsumerBuilder<byte[]?, byte[]?>(new ConsumerConfig(new Dictionary<string, string>(clientProperties))
        {
            BootstrapServers = bootstrap,
            GroupId = "bench-baseline-" + Guid.NewGuid().ToString("N"),
            EnableAutoCommit = false,
        }).Build();
        consumer.Assign(Enumerable.Range(0, partitions).Select(p => new TopicPartitionOffset(topic, p, Offset.Beginning)));
        var clock = new ArrivalClock(records);
        long bytes = 0;
        while (clock.Arrived < records)
        {
            var result = consumer.Consume(TimeSpan.FromSeconds(10)) ?? throw new TimeoutException($"the plain consumer stalled after {clock.Arrived} records");
            bytes += result.Message.Value?.Length ?? 0;
            clock.Arrive();
        }

        consumer.Close();
        return new BenchmarkFigure(name, clock.TimedRecords, clock.Elapsed, $"{bytes / (1024 * 1024)} MiB of values");
    }
}
