using Confluent.Kafka;

namespace Rivulet.Extensions.Hosting.Tests;

/// <summary>Writes a topic's input and reads its committed output with plain Confluent.Kafka clients, independent of Rivulet.</summary>
internal static class Topics
{
    public static void Write(string bootstrapServers, string topic, IEnumerable<string> values)
    {
        using var producer = new ProducerBuilder<Null, string>(new ProducerConfig { BootstrapServers = bootstrapServers, EnableIdempotence = true }).Build();
        foreach (var value in values)
        {
            producer.Produce(topic, new Message<Null, string> { Value = value });
        }

        if (producer.Flush(TimeSpan.FromSeconds(30)) > 0)
        {
            throw new TimeoutException($"could not write the input of {topic} within 30 s");
        }
    }

    /// <summary>Writes <c>prefix-0000</c>, <c>prefix-0001</c>, … every few milliseconds until <paramref name="stop"/>; returns how many were written.</summary>
    public static int WriteUntil(string bootstrapServers, string topic, string prefix, CancellationToken stop)
    {
        using var producer = new ProducerBuilder<Null, string>(new ProducerConfig { BootstrapServers = bootstrapServers, EnableIdempotence = true }).Build();
        var count = 0;
        while (!stop.WaitHandle.WaitOne(5))
        {
            producer.Produce(topic, new Message<Null, string> { Value = $"{prefix}-{count++:D4}" });
        }

        if (producer.Flush(TimeSpan.FromSeconds(30)) > 0)
        {
            throw new TimeoutException($"could not write the input of {topic} within 30 s");
        }

        return count;
    }

    public static IEnumerable<string> Values(string prefix, int from, int count) =>
        Enumerable.Range(from, count).Select(i => $"{prefix}-{i:D4}");

    /// <summary>Everything committed in <paramref name="topic"/> so far (read_committed, all partitions, up to the end).</summary>
    public static List<string> ReadCommitted(string bootstrapServers, string topic, int partitions)
    {
        using var consumer = new ConsumerBuilder<Ignore, string>(new ConsumerConfig
        {
            BootstrapServers = bootstrapServers,
            GroupId = "hosting-check-" + Guid.NewGuid().ToString("N"),
            IsolationLevel = IsolationLevel.ReadCommitted,
            EnablePartitionEof = true,
            EnableAutoCommit = false,
        }).Build();
        consumer.Assign(Enumerable.Range(0, partitions).Select(p => new TopicPartitionOffset(topic, p, Offset.Beginning)));
        var values = new List<string>();
        var ended = new HashSet<int>();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (ended.Count < partitions)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"could not read {topic} to its end within 30 s");
            }

            var result = consumer.Consume(TimeSpan.FromMilliseconds(200));
            if (result is null)
            {
                continue;
            }

            if (result.IsPartitionEOF)
            {
                ended.Add(result.Partition.Value);
            }
            else
            {
                values.Add(result.Message.Value);
            }
        }

        return values;
    }
}
