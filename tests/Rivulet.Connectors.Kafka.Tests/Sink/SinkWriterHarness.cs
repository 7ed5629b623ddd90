using Confluent.Kafka;
using Microsoft.Extensions.Logging.Abstractions;
using Rivulet.Connectors.Kafka.Sink;
using Rivulet.Connectors.Kafka.Sink.Transactions;
using Rivulet.Testing.Kafka;

namespace Rivulet.Connectors.Kafka.Tests.Sink;

internal static class SinkTestSupport
{
    public static KafkaSinkSettings Settings(string bootstrap, string? topic, Semantic semantic, Action<Dictionary<string, string>>? properties = null)
    {
        var client = new Dictionary<string, string> { ["bootstrap.servers"] = bootstrap };
        properties?.Invoke(client);
        return new KafkaSinkSettings { ClientProperties = client, DefaultTopic = topic, Semantic = semantic, ClientTimeout = TimeSpan.FromSeconds(20) };
    }

    /// <summary>Everything in the topic, read with the given isolation level until every partition's end.</summary>
    public static List<ConsumeResult<byte[]?, byte[]?>> ReadAll(string bootstrap, string topic, int partitions, IsolationLevel isolation = IsolationLevel.ReadUncommitted)
    {
        using var consumer = new ConsumerBuilder<byte[]?, byte[]?>(new ConsumerConfig
        {
            BootstrapServers = bootstrap,
            GroupId = "check-" + Guid.NewGuid().ToString("N"),
            EnablePartitionEof = true,
            IsolationLevel = isolation,
            // The end of a partition shows only in a fetch answer; do not let the broker hold one back.
            FetchWaitMaxMs = 20,
        }).Build();
        consumer.Assign(Enumerable.Range(0, partitions).Select(p => new TopicPartitionOffset(topic, p, Offset.Beginning)));
        var results = new List<ConsumeResult<byte[]?, byte[]?>>();
        PartitionEndReader.ReadToEnd(consumer, partitions, TimeSpan.FromSeconds(20), results.Add);
        return results;
    }

    /// <summary>Where read_committed readers of the partition stop: before the first open transaction.</summary>
    public static long LastStableOffset(string bootstrap, string topic, int partition) => High(bootstrap, topic, partition, IsolationLevel.ReadCommitted);

    /// <summary>The partition's log end offset.</summary>
    public static long EndOffset(string bootstrap, string topic, int partition) => High(bootstrap, topic, partition, IsolationLevel.ReadUncommitted);

    /// <summary>How a restored sink reads the outcome of its transactions, against the test broker.</summary>
    public static Func<ITransactionOutcomeProbe> Probe(string bootstrap) =>
        () => new ReadCommittedTransactionProbe(new Dictionary<string, string> { ["bootstrap.servers"] = bootstrap }, Logger);

    public static string Text(byte[]? bytes) => bytes is null ? "<null>" : System.Text.Encoding.UTF8.GetString(bytes);

    public static NullLogger Logger => NullLogger.Instance;

    private static long High(string bootstrap, string topic, int partition, IsolationLevel isolation)
    {
        using var consumer = new ConsumerBuilder<Ignore, Ignore>(new ConsumerConfig
        {
            BootstrapServers = bootstrap,
            GroupId = "offsets-" + Guid.NewGuid().ToString("N"),
            IsolationLevel = isolation,
        }).Build();
        return consumer.QueryWatermarkOffsets(new TopicPartition(topic, partition), TimeSpan.FromSeconds(10)).High.Value;
    }
}
