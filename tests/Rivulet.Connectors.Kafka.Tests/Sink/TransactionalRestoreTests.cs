using Confluent.Kafka;
using Rivulet.Connectors.Kafka.Protocol;
using Rivulet.Connectors.Kafka.Sink;
using Rivulet.Connectors.Kafka.Sink.Metrics;
using Rivulet.Connectors.Kafka.Sink.Partitioning;
using Rivulet.Connectors.Kafka.Sink.Serialization;
using Rivulet.Connectors.Kafka.Sink.Transactions;
using Rivulet.Connectors.Kafka.Sink.Writer;
using Rivulet.Core.Serialization;
using Rivulet.Testing.Kafka;

namespace Rivulet.Connectors.Kafka.Tests.Sink;

/// <summary>
/// What an exactly-once sink subtask does when it starts after a crash: commit the restored
/// checkpoint's pre-committed transactions through the recovery client (never aborting them
/// first), then fence every transactional id it owns — its own and those of subtasks a
/// scale-down removed — so nothing an earlier run left open holds read_committed readers back.
/// A "crashed" writer is one that is simply abandoned, never closed.
/// </summary>
public sealed class TransactionalRestoreTests(KafkaTestClusterFixture broker) : IClassFixture<KafkaTestClusterFixture>
{
    [Fact]
    public void A_restore_commits_the_pre_committed_transactions_of_its_checkpoint_without_aborting_them_first()
    {
        var (topic, prefix) = NewTopic(1);
        using var crashedMetrics = new KafkaSinkMetrics("crashed", 0);
        var crashed = Start(topic, prefix, crashedMetrics, 0, 1, RestoredSinkState.None(1, 5), new NoRecovery());
        Write(crashed, "pre-committed", 6);
        // Checkpoint 1 completes with this pending transaction, but the process dies before its commit…
        var pending = crashed.SnapshotState(1);
        // …while the next checkpoint's transaction is open, its records at the broker.
        Write(crashed, "open", 4);
        crashed.SnapshotState(2);
        Assert.Equal(0, LastStableOffset(topic, 0));

        var restoredName = "restored-" + Guid.NewGuid().ToString("N")[..8];
        using var recorder = new SinkMetricsRecorder(restoredName);
        using var metrics = new KafkaSinkMetrics(restoredName, 0);
        using var restored = Start(topic, prefix, metrics, 0, 1, new RestoredSinkState(pending, 1, 5), RecoveryClient());

        Assert.Equal(1, recorder.Sum("rivulet.kafka.sink.transactions_recovered"));
        Assert.Equal(Values("pre-committed", 6), Committed(topic, 1));
        // Checkpoint 2 never completed: its transaction was aborted by the fencing, the LSO is at the end.
        Assert.Equal(EndOffset(topic, 0), LastStableOffset(topic, 0));

        Write(restored, "after", 2);
        restored.SnapshotState(3);
        restored.NotifyCheckpointComplete(3);
        Assert.Equal([.. Values("pre-committed", 6), .. Values("after", 2)], Committed(topic, 1));
    }

    [Fact]
    public void A_restore_at_lower_parallelism_aborts_what_the_removed_subtasks_left_open()
    {
        var (topic, prefix) = NewTopic(3);
        // A run at parallelism 3: subtask i writes to partition i (fixed partitioner), and each has a
        // pre-committed transaction whose checkpoint never completed when the job died.
        using var crashedMetrics = new KafkaSinkMetrics("crashed", 0);
        for (var subtask = 0; subtask < 3; subtask++)
        {
            var crashed = Start(topic, prefix, crashedMetrics, subtask, 3, RestoredSinkState.None(3, 5), new NoRecovery());
            Write(crashed, $"lost-{subtask}", 3);
            crashed.SnapshotState(1);
        }

        Assert.All(Enumerable.Range(0, 3), p => Assert.Equal(0, LastStableOffset(topic, p)));

        // Restored at parallelism 1 from the checkpoint before (nothing pending), taken at parallelism 3.
        using var metrics = new KafkaSinkMetrics("restored", 0);
        using var restored = Start(topic, prefix, metrics, 0, 1, new RestoredSinkState([], 3, 5), new NoRecovery());

        // Subtasks 1 and 2 do not exist any more; subtask 0 fenced their ids too.
        Assert.All(Enumerable.Range(0, 3), p => Assert.Equal(EndOffset(topic, p), LastStableOffset(topic, p)));
        Assert.Empty(Committed(topic, 3));
    }

    [Theory]
    [InlineData(5, true)]
    [InlineData(1, false)]
    public void A_scale_down_before_the_first_checkpoint_leaves_nothing_open_within_the_safe_scale_down_factor(int factor, bool clean)
    {
        var (topic, prefix) = NewTopic(3);
        // A run at parallelism 3 wrote on all three partitions in transactions (flushed at a barrier)
        // and died before any checkpoint completed…
        using var crashedMetrics = new KafkaSinkMetrics("crashed", 0);
        for (var subtask = 0; subtask < 3; subtask++)
        {
            var crashed = Start(topic, prefix, crashedMetrics, subtask, 3, RestoredSinkState.None(3, 5), new NoRecovery());
            Write(crashed, $"open-{subtask}", 2);
            crashed.SnapshotState(1);
        }

        Assert.All(Enumerable.Range(0, 3), p => Assert.Equal((0L, 2L), (LastStableOffset(topic, p), EndOffset(topic, p))));

        // …and the job starts again at parallelism 1 with nothing to restore: only the factor tells
        // it that subtasks 1 and 2 may have existed.
        using var metrics = new KafkaSinkMetrics("restarted", 0);
        using var restarted = TransactionalKafkaWriter<string>.Start(
            SinkTestSupport.Settings(broker.BootstrapServers, topic, Semantic.ExactlyOnce, p => p["transaction.timeout.ms"] = "60000")
                with { TransactionalIdPrefix = prefix, SafeScaleDownFactor = factor },
            new ValueOnlySerializationSchema<string>(new SimpleStringSchema()), new FixedPartitioner<string>().Opened(0, 1), metrics, SinkTestSupport.Logger,
            0, 1, RestoredSinkState.None(1, 5), new NoRecovery(), NoRecovery.Probe, TestContext.Current.CancellationToken);

        // Subtask 0's own open transaction is aborted either way; 1 and 2's only within the factor.
        Assert.Equal(EndOffset(topic, 0), LastStableOffset(topic, 0));
        Assert.Equal(clean, Enumerable.Range(1, 2).All(p => LastStableOffset(topic, p) == EndOffset(topic, p)));
    }

    [Fact]
    public void A_writer_fenced_by_another_with_the_same_prefix_fails_naming_the_transactional_id_and_prefix()
    {
        var (topic, prefix) = NewTopic(1);
        using var metrics = new KafkaSinkMetrics("sink", 0);
        var first = Start(topic, prefix, metrics, 0, 1, RestoredSinkState.None(1, 5), new NoRecovery());
        Write(first, "a", 3);
        first.SnapshotState(1);

        using var second = Start(topic, prefix, metrics, 0, 1, RestoredSinkState.None(1, 5), new NoRecovery());

        var atCommit = Assert.Throws<ProducerFencedException>(() => first.NotifyCheckpointComplete(1));
        Assert.Equal($"{prefix}-0-0", atCommit.TransactionalId);
        Assert.Contains($"transactional producer '{prefix}-0-0' was fenced", atCommit.Message);
        Assert.Contains($"uses the transactional id prefix '{prefix}'", atCommit.Message);

        // The transaction open on the next producer of the pool: its writes are refused the same way.
        var atWrite = Assert.Throws<ProducerFencedException>(() =>
        {
            Write(first, "b", 50);
            first.SnapshotState(2);
        });
        Assert.Equal($"{prefix}-0-1", atWrite.TransactionalId);
        Assert.Empty(Committed(topic, 1));
    }

    private TransactionalKafkaWriter<string> Start(string topic, string prefix, KafkaSinkMetrics metrics, int subtask, int parallelism, RestoredSinkState restored, ITransactionCommitter committer) =>
        TransactionalKafkaWriter<string>.Start(
            SinkTestSupport.Settings(broker.BootstrapServers, topic, Semantic.ExactlyOnce, p => p["transaction.timeout.ms"] = "60000") with { TransactionalIdPrefix = prefix },
            new ValueOnlySerializationSchema<string>(new SimpleStringSchema()), new FixedPartitioner<string>().Opened(subtask, parallelism), metrics, SinkTestSupport.Logger,
            subtask, parallelism, restored, committer, SinkTestSupport.Probe(broker.BootstrapServers), TestContext.Current.CancellationToken);

    private TransactionRecoveryClient RecoveryClient() => new(new Dictionary<string, string> { ["bootstrap.servers"] = broker.BootstrapServers }, TimeSpan.FromSeconds(20));

    private static void Write(IKafkaSinkWriter<string> writer, string prefix, int count)
    {
        foreach (var value in Values(prefix, count))
        {
            writer.Write(value, null);
        }
    }

    private static IEnumerable<string> Values(string prefix, int count) => Enumerable.Range(0, count).Select(i => $"{prefix}-{i}");

    private List<string> Committed(string topic, int partitions) =>
        [.. SinkTestSupport.ReadAll(broker.BootstrapServers, topic, partitions, IsolationLevel.ReadCommitted).Select(r => SinkTestSupport.Text(r.Message.Value))];

    private long LastStableOffset(string topic, int partition) => SinkTestSupport.LastStableOffset(broker.BootstrapServers, topic, partition);

    private long EndOffset(string topic, int partition) => SinkTestSupport.EndOffset(broker.BootstrapServers, topic, partition);

    private (string Topic, string Prefix) NewTopic(int partitions)
    {
        var topic = KafkaTestClusterFixture.UniqueTopic("restore");
        broker.Cluster.CreateTopic(topic, partitions);
        return (topic, "tx-" + Guid.NewGuid().ToString("N")[..12]);
    }
}
