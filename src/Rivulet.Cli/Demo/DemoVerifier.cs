using System.Globalization;
using System.Text;
using Confluent.Kafka;
using Rivulet.Connectors.Kafka.Native;

namespace Rivulet.Cli.Demo;

/// <summary>
/// Checks the demo's output as a <c>read_committed</c> consumer sees it: each input index exactly
/// once, and per key the counts 1, 2, …, n in order.
/// </summary>
public static class DemoVerifier
{
    /// <summary>Reads the whole output topic up to its last stable offsets.</summary>
    public static DemoVerdict Verify(string bootstrapServers, string outputTopic, int partitions, long expected, TimeSpan timeout)
    {
        LibrdkafkaLoader.EnsureLoaded();
        using var consumer = new ConsumerBuilder<byte[], byte[]>(new ConsumerConfig
        {
            BootstrapServers = bootstrapServers,
            GroupId = "rivulet-demo-verifier-" + Guid.NewGuid().ToString("N"),
            IsolationLevel = IsolationLevel.ReadCommitted,
            EnablePartitionEof = true,
            EnableAutoCommit = false,
        }).Build();
        var topicPartitions = Enumerable.Range(0, partitions).Select(p => new TopicPartition(outputTopic, p)).ToList();
        consumer.Assign(topicPartitions.Select(tp => new TopicPartitionOffset(tp, Offset.Beginning)));

        var seen = new Dictionary<long, int>();
        var countsByKey = new Dictionary<string, List<long>>();
        long records = 0;
        var atEnd = new HashSet<int>();
        var deadline = DateTime.UtcNow + timeout;
        while (atEnd.Count < partitions && DateTime.UtcNow < deadline)
        {
            var result = consumer.Consume(TimeSpan.FromMilliseconds(200));
            if (result is null)
            {
                continue;
            }

            if (result.IsPartitionEOF)
            {
                atEnd.Add(result.Partition.Value);
                continue;
            }

            atEnd.Remove(result.Partition.Value);
            records++;
            var key = Encoding.UTF8.GetString(result.Message.Key);
            var value = Encoding.UTF8.GetString(result.Message.Value).Split(':');
            var index = long.Parse(value[0], CultureInfo.InvariantCulture);
            seen[index] = seen.GetValueOrDefault(index) + 1;
            if (!countsByKey.TryGetValue(key, out var counts))
            {
                countsByKey[key] = counts = [];
            }

            counts.Add(long.Parse(value[1], CultureInfo.InvariantCulture));
        }

        var openTransactions = 0;
        foreach (var tp in topicPartitions)
        {
            var stable = consumer.QueryWatermarkOffsets(tp, TimeSpan.FromSeconds(10)).High.Value;
            using var uncommitted = new ConsumerBuilder<Ignore, Ignore>(new ConsumerConfig
            {
                BootstrapServers = bootstrapServers,
                GroupId = "rivulet-demo-verifier-hw",
                IsolationLevel = IsolationLevel.ReadUncommitted,
            }).Build();
            var end = uncommitted.QueryWatermarkOffsets(tp, TimeSpan.FromSeconds(10)).High.Value;
            if (stable < end)
            {
                openTransactions++;
            }
        }

        return new DemoVerdict
        {
            Expected = expected,
            RecordsOut = records,
            Distinct = seen.Count,
            Duplicates = seen.Values.Sum(n => (long)(n - 1)),
            Missing = Enumerable.Range(0, (int)expected).LongCount(i => !seen.ContainsKey(i)),
            KeysWithWrongCounts = countsByKey.Values.LongCount(c => !c.Select((count, i) => count == i + 1).All(ok => ok)),
            PartitionsWithOpenTransactions = openTransactions,
        };
    }

    /// <summary>Records readable with read_committed right now (cheap progress check).</summary>
    public static long CommittedCount(IConsumer<byte[], byte[]> consumer, string topic, int partitions) =>
        Enumerable.Range(0, partitions).Sum(p => consumer.QueryWatermarkOffsets(new TopicPartition(topic, p), TimeSpan.FromSeconds(5)).High.Value);
}
