using Confluent.Kafka;
using Confluent.Kafka.Admin;
using Rivulet.Testing.Kafka;

namespace Rivulet.Cli.Demo;

/// <summary>
/// The Kafka cluster the demo runs on: the embedded test broker (3 brokers in this process) or,
/// with <c>--bootstrap-servers</c>, an external cluster, where nothing is started. Creates the
/// demo's topics and tells where this run's records begin in them.
/// </summary>
internal sealed class DemoBroker : IDisposable
{
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan FirstContactTimeout = TimeSpan.FromSeconds(10);

    private readonly KafkaTestCluster? _embedded;

    private DemoBroker(string bootstrapServers, KafkaTestCluster? embedded)
    {
        BootstrapServers = bootstrapServers;
        _embedded = embedded;
    }

    public string BootstrapServers { get; }

    public string Description => _embedded is { } cluster
        ? $"embedded test broker ({cluster.BrokerCount} brokers) at {BootstrapServers}"
        : $"external cluster at {BootstrapServers}";

    public static DemoBroker Embedded(int brokers)
    {
        var cluster = KafkaTestCluster.Start(brokers);
        return new DemoBroker(cluster.BootstrapServers, cluster);
    }

    public static DemoBroker External(string bootstrapServers)
    {
        return new DemoBroker(bootstrapServers, null);
    }

    /// <summary>Creates the topic unless it exists; returns its partition count.</summary>
    public async Task<int> EnsureTopicAsync(string topic, int partitions)
    {
        // librdkafka would print its connection failures to stderr; the one failure that matters is thrown.
        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = BootstrapServers })
            .SetLogHandler((_, _) => { })
            .SetErrorHandler((_, _) => { })
            .Build();
        Metadata metadata;
        try
        {
            metadata = admin.GetMetadata(FirstContactTimeout);
        }
        catch (KafkaException e)
        {
            throw new KafkaException(new Error(ErrorCode.Local_AllBrokersDown, $"no broker answered at {BootstrapServers} within {FirstContactTimeout.TotalSeconds:0} s ({e.Error.Reason})"));
        }

        if (metadata.Brokers.Count == 0)
        {
            throw new KafkaException(new Error(ErrorCode.Local_AllBrokersDown, $"no broker answered at {BootstrapServers}"));
        }

        var replication = (short)Math.Min(3, metadata.Brokers.Count);
        try
        {
            await admin.CreateTopicsAsync(
                [new TopicSpecification { Name = topic, NumPartitions = partitions, ReplicationFactor = replication }],
                new CreateTopicsOptions { RequestTimeout = RequestTimeout, OperationTimeout = RequestTimeout });
        }
        catch (CreateTopicsException e) when (e.Results.All(r => r.Error.Code is ErrorCode.NoError or ErrorCode.TopicAlreadyExists))
        {
        }

        var existing = admin.GetMetadata(topic, RequestTimeout).Topics.Single();
        return existing.Error.IsError
            ? throw new KafkaException(new Error(existing.Error.Code, $"Topic '{topic}': {existing.Error.Reason}"))
            : existing.Partitions.Count;
    }

    /// <summary>
    /// The end offset of each partition now: where records written from now on begin. The log end
    /// (read_uncommitted), not the last stable offset: on a cluster where an earlier run left a
    /// transaction open, its records lie below the end and must not count as this run's.
    /// </summary>
    public IReadOnlyDictionary<int, long> EndOffsets(string topic, int partitions)
    {
        using var consumer = new ConsumerBuilder<Ignore, Ignore>(new ConsumerConfig
        {
            BootstrapServers = BootstrapServers,
            GroupId = "rivulet-demo-offsets",
            IsolationLevel = IsolationLevel.ReadUncommitted,
        }).SetLogHandler((_, _) => { }).Build();
        return Enumerable.Range(0, partitions).ToDictionary(p => p, p => consumer.QueryWatermarkOffsets(new TopicPartition(topic, p), RequestTimeout).High.Value);
    }

    /// <summary>The embedded test broker, to do faults to it; null for an external cluster.</summary>
    public KafkaTestCluster? EmbeddedCluster => _embedded;

    public void Dispose() => _embedded?.Dispose();
}
