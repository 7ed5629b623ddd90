using Rivulet.Connectors.Kafka.Sink;
using Rivulet.Connectors.Kafka.Sink.Metrics;
using Rivulet.Connectors.Kafka.Sink.Partitioning;
using Rivulet.Connectors.Kafka.Sink.Serialization;
using Rivulet.Connectors.Kafka.Sink.Transactions;
using Rivulet.Connectors.Kafka.Sink.Writer;
using Rivulet.Connectors.Kafka.Tests.Sink;
using Rivulet.Core.Serialization;
using Rivulet.Testing.Kafka;

namespace Rivulet.Connectors.Kafka.Tests.Protocol;

/// <summary>What a crashed exactly-once sink leaves behind: a transaction pre-committed at a checkpoint (flushed, recorded) and still open.</summary>
internal static class CrashedSinkTransaction
{
    /// <summary>Writes <paramref name="values"/> to a new one-partition topic in a sink writer's transaction, pre-commits it and abandons the writer.</summary>
    public static (string Topic, PendingTransaction Pending) Leave(KafkaTestCluster cluster, string name, params string[] values)
    {
        var topic = KafkaTestClusterFixture.UniqueTopic(name);
        cluster.CreateTopic(topic, 1);
        var settings = SinkTestSupport.Settings(cluster.BootstrapServers, topic, Semantic.ExactlyOnce, p => p["transaction.timeout.ms"] = "60000")
            with { TransactionalIdPrefix = name + "-" + Guid.NewGuid().ToString("N")[..8] };
        var crashed = TransactionalKafkaWriter<string>.Start(settings, new ValueOnlySerializationSchema<string>(new SimpleStringSchema()),
            new FixedPartitioner<string>().Opened(0, 1), new KafkaSinkMetrics(name, 0), SinkTestSupport.Logger, 0, 1, RestoredSinkState.None(1, 5), new NoRecovery(), NoRecovery.Probe,
            TestContext.Current.CancellationToken);
        foreach (var value in values)
        {
            crashed.Write(value, null);
        }

        return (topic, Assert.Single(crashed.SnapshotState(1)));
    }
}
