using Confluent.Kafka;
using Rivulet.Testing.Kafka;

namespace Rivulet.Benchmarks.Kafka;

/// <summary>What the broker really holds after a run, so no benchmark counts records that never arrived.</summary>
internal static class TopicCheck
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    /// <summary>The end offset (high watermark) of each partition.</summary>
    public static long[] EndOffsets(string bootstrap, string topic, int partitions)
    {
        using var consumer = new ConsumerBuilder<byte[]?, byte[]?>(new ConsumerConfig
        {
            BootstrapServers = bootstrap,
            GroupId = "bench-check-" + Guid.NewGuid().ToString("N"),
        }).Build();
        return [.. Enumerable.Range(0, partitions).Select(p => consumer.QueryWatermarkOffsets(new TopicPartition(topic, p), Timeout).High.Value)];
    }

    /// <summary>Records a read_committed reader sees in the topic (transaction markers and aborted records excluded).</summary>
    public static long CommittedRecords(string bootstrap, string topic, int partitions)
    {
        using var consumer = new ConsumerBuilder<byte[]?, byte[]?>(new ConsumerConfig
        {
            BootstrapServers = bootstrap,
            GroupId = "bench-check-" + Guid.NewGuid().ToString("N"),
            IsolationLevel = IsolationLevel.ReadCommitted,
            EnablePartitionEof = true,
        }).Build();
        consumer.Assign(Enumerable.Range(0, partitions).Select(p => new TopicPartitionOffset(topic, p, Offset.Beginning)));
        long count = 0;
        PartitionEndReader.ReadToEnd(consumer, partitions, 2 * Timeout, _ => count++);
        return count;
    }
}
