using Confluent.Kafka;
using Rivulet.Connectors.Kafka.Sink;
using Rivulet.Connectors.Kafka.Sink.Metrics;
using Rivulet.Connectors.Kafka.Sink.Partitioning;
using Rivulet.Connectors.Kafka.Sink.Serialization;
using Rivulet.Connectors.Kafka.Sink.Transactions;
using Rivulet.Connectors.Kafka.Sink.Writer;
using Rivulet.Core.Serialization;
using Rivulet.Testing.Kafka;

namespace Rivulet.Connectors.Kafka.Tests.Sink;

public sealed class TransactionalWriterTests(KafkaTestClusterFixture broker) : IClassFixture<KafkaTestClusterFixture>
{
    [Fact]
    public void Records_become_visible_to_read_committed_only_when_their_checkpoint_completes()
    {
        var (topic, prefix) = NewTopic();
        using var metrics = new KafkaSinkMetrics("sink", 0);
        using var writer = Start(topic, prefix, metrics, RestoredSinkState.None(1, 5));
        Write(writer, "a", 0, 10);

        var pending = writer.SnapshotState(1);
        var transaction = Assert.Single(pending);
        Assert.Equal((1L, $"{prefix}-0-0", 10L), (transaction.CheckpointId, transaction.TransactionalId, transaction.RecordCount));
        Assert.True(transaction.ProducerId >= 0);
        Write(writer, "b", 0, 5);
        Assert.Empty(Committed(topic));
        Assert.Equal(10, Uncommitted(topic).Count(v => v.StartsWith("a-", StringComparison.Ordinal)));

        writer.NotifyCheckpointComplete(1);
        Assert.Equal(Values("a", 0, 10), Committed(topic));
        Assert.Equal(1, metrics.TransactionsCommitted);

        writer.SnapshotState(2);
        writer.NotifyCheckpointComplete(2);
        Assert.Equal([.. Values("a", 0, 10), .. Values("b", 0, 5)], Committed(topic));
    }

    [Fact]
    public void A_transaction_of_an_aborted_checkpoint_commits_with_the_next_completed_one()
    {
        var (topic, prefix) = NewTopic();
        using var metrics = new KafkaSinkMetrics("sink", 0);
        using var writer = Start(topic, prefix, metrics, RestoredSinkState.None(1, 5));
        Write(writer, "a", 0, 3);
        writer.SnapshotState(1); // checkpoint 1 never completes
        Write(writer, "b", 0, 3);
        Assert.Equal(2, writer.SnapshotState(2).Count);

        writer.NotifyCheckpointComplete(2);

        Assert.Equal([.. Values("a", 0, 3), .. Values("b", 0, 3)], Committed(topic));
    }

    [Fact]
    public void A_restart_fences_the_previous_attempt_and_aborts_its_open_transaction()
    {
        var (topic, prefix) = NewTopic();
        using var metrics = new KafkaSinkMetrics("sink", 0);
        var crashed = Start(topic, prefix, metrics, RestoredSinkState.None(1, 5));
        Write(crashed, "lost", 0, 4);
        crashed.SnapshotState(1); // pre-committed, but its checkpoint never completed
        Write(crashed, "open", 0, 4);

        // The "crashed" writer is never closed; a new attempt starts with nothing to restore.
        using var restarted = Start(topic, prefix, metrics, RestoredSinkState.None(1, 5));
        Write(restarted, "new", 0, 2);
        restarted.SnapshotState(1);
        restarted.NotifyCheckpointComplete(1);

        Assert.Equal(Values("new", 0, 2), Committed(topic));
        Assert.Throws<ProducerFencedException>(() => crashed.NotifyCheckpointComplete(1));
        crashed.Dispose();
    }

    [Fact]
    public void More_pending_checkpoints_than_the_pool_holds_fail_clearly()
    {
        var (topic, prefix) = NewTopic();
        using var metrics = new KafkaSinkMetrics("sink", 0);
        var settings = SinkTestSupport.Settings(broker.BootstrapServers, topic, Semantic.ExactlyOnce, TransactionTimeout) with { TransactionalIdPrefix = prefix, ProducerPoolSize = 3 };
        using var writer = TransactionalKafkaWriter<string>.Start(settings, Values(), new FixedPartitioner<string>().Opened(0, 1), metrics, SinkTestSupport.Logger, 0, 1,
            RestoredSinkState.None(1, 3), new NoRecovery(), NoRecovery.Probe, TestContext.Current.CancellationToken);
        writer.SnapshotState(1);
        writer.SnapshotState(2);

        var error = Assert.Throws<InvalidOperationException>(() => writer.SnapshotState(3));
        Assert.Contains("pool", error.Message);
    }

    private static void TransactionTimeout(Dictionary<string, string> properties) => properties["transaction.timeout.ms"] = "60000";

    private TransactionalKafkaWriter<string> Start(string topic, string prefix, KafkaSinkMetrics metrics, RestoredSinkState restored) =>
        TransactionalKafkaWriter<string>.Start(
            SinkTestSupport.Settings(broker.BootstrapServers, topic, Semantic.ExactlyOnce, TransactionTimeout) with { TransactionalIdPrefix = prefix },
            Values(), new FixedPartitioner<string>().Opened(0, 1), metrics, SinkTestSupport.Logger, 0, 1, restored, new NoRecovery(), NoRecovery.Probe, TestContext.Current.CancellationToken);

    private static IKafkaSerializationSchema<string> Values() => new ValueOnlySerializationSchema<string>(new SimpleStringSchema());

    private static void Write(IKafkaSinkWriter<string> writer, string prefix, int from, int count)
    {
        foreach (var value in Values(prefix, from, count))
        {
            writer.Write(value, null);
        }
    }

    private List<string> Committed(string topic) =>
        [.. SinkTestSupport.ReadAll(broker.BootstrapServers, topic, 1, IsolationLevel.ReadCommitted).Select(r => SinkTestSupport.Text(r.Message.Value))];

    private List<string> Uncommitted(string topic) =>
        [.. SinkTestSupport.ReadAll(broker.BootstrapServers, topic, 1, IsolationLevel.ReadUncommitted).Select(r => SinkTestSupport.Text(r.Message.Value))];

    private static IEnumerable<string> Values(string prefix, int from, int count) => Enumerable.Range(from, count).Select(i => $"{prefix}-{i}");

    private (string Topic, string Prefix) NewTopic()
    {
        var topic = KafkaTestClusterFixture.UniqueTopic("eos");
        broker.Cluster.CreateTopic(topic, 1);
        return (topic, "tx-" + Guid.NewGuid().ToString("N")[..12]);
    }
}
