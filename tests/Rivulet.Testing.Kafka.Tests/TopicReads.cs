using Confluent.Kafka;

namespace Rivulet.Testing.Kafka.Tests;

/// <summary>What readers of partition 0 of a topic see, for transaction tests.</summary>
internal static class TopicReads
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    /// <summary>Every value of partition 0 readable with <paramref name="isolation"/>, up to its end (the LSO for read_committed).</summary>
    public static List<string> ReadAll(string bootstrap, string topic, IsolationLevel isolation)
    {
        using var consumer = KafkaClients.Consumer(bootstrap, c => c.IsolationLevel = isolation);
        consumer.Assign(KafkaClients.FromBeginning(topic, 1));
        return [.. KafkaClients.ConsumeToEnd(consumer, 1, Timeout).Select(r => r.Message.Value)];
    }

    /// <summary>The last stable offset of partition 0: where read_committed readers stop while a transaction is open.</summary>
    public static long LastStableOffset(string bootstrap, string topic) => High(bootstrap, topic, IsolationLevel.ReadCommitted);

    /// <summary>The log end offset (high watermark) of partition 0.</summary>
    public static long EndOffset(string bootstrap, string topic) => High(bootstrap, topic, IsolationLevel.ReadUncommitted);

    public static IEnumerable<string> Values(string prefix, int from, int count) => Enumerable.Range(from, count).Select(i => $"{prefix}-{i}");

    private static long High(string bootstrap, string topic, IsolationLevel isolation)
    {
        using var consumer = KafkaClients.Consumer(bootstrap, c => c.IsolationLevel = isolation);
        return consumer.QueryWatermarkOffsets(new TopicPartition(topic, 0), Timeout).High.Value;
    }
}
