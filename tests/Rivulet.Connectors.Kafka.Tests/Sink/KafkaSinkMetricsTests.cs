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

/// <summary>The sink's metrics as an exporter sees them through System.Diagnostics.Metrics.</summary>
public sealed class KafkaSinkMetricsTests(KafkaTestClusterFixture broker) : IClassFixture<KafkaTestClusterFixture>
{
    [Fact]
    public async Task Records_sent_acknowledged_and_failed_and_librdkafkas_statistics_are_published()
    {
        using var cluster = KafkaTestCluster.Start(1);
        var topic = KafkaTestClusterFixture.UniqueTopic("metrics");
        cluster.CreateTopic(topic, 1);
        var name = Unique("records");
        using var recorder = new SinkMetricsRecorder(name);
        using var metrics = new KafkaSinkMetrics(name, 0);
        var settings = SinkTestSupport.Settings(cluster.BootstrapServers, topic, Semantic.AtLeastOnce, p => p["statistics.interval.ms"] = "100") with { LogFailuresOnly = true };
        using var writer = new NonTransactionalKafkaWriter<string>(settings, Values, new FixedPartitioner<string>().Opened(0, 1), metrics, SinkTestSupport.Logger, TestContext.Current.CancellationToken);

        cluster.InjectRequestErrors(KafkaApiKey.Produce, ErrorCode.InvalidRecord);
        writer.Write("failed", null);
        writer.SnapshotState(1);
        for (var i = 0; i < 50; i++)
        {
            writer.Write($"r{i}", null);
        }

        writer.SnapshotState(2);

        Assert.Equal(51, recorder.Sum("rivulet.kafka.sink.records_sent"));
        Assert.Equal(50, recorder.Sum("rivulet.kafka.sink.records_acknowledged"));
        Assert.Equal(1, recorder.Sum("rivulet.kafka.sink.records_failed"));
        // librdkafka counts what it transmitted, including the request the broker refused.
        await JobWait.UntilAsync(() => recorder.Observe("rivulet.kafka.sink.librdkafka.messages_sent") >= 51, TimeSpan.FromSeconds(20), "librdkafka's statistics to count 51 messages sent");
        Assert.True(recorder.Observe("rivulet.kafka.sink.librdkafka.bytes_sent") > 0);
        Assert.Equal(0, recorder.Observe("rivulet.kafka.sink.librdkafka.queued_messages"));
    }

    [Fact]
    public void Transactions_committed_aborted_and_recovered_are_published()
    {
        var topic = KafkaTestClusterFixture.UniqueTopic("metrics");
        broker.Cluster.CreateTopic(topic, 1);
        var prefix = Unique("tx");
        var crashedName = Unique("crashed");
        using var crashedRecorder = new SinkMetricsRecorder(crashedName);
        using var crashedMetrics = new KafkaSinkMetrics(crashedName, 0);
        var crashed = Start(topic, prefix, crashedMetrics, RestoredSinkState.None(1, 5), new NoRecovery());
        crashed.Write("a", null);
        crashed.SnapshotState(1);
        crashed.NotifyCheckpointComplete(1);
        crashed.Write("b", null);
        var pending = crashed.SnapshotState(2);
        Assert.Equal(1, crashedRecorder.Sum("rivulet.kafka.sink.transactions_committed"));

        var name = Unique("restored");
        using var recorder = new SinkMetricsRecorder(name);
        using var metrics = new KafkaSinkMetrics(name, 0);
        using (var restored = Start(topic, prefix, metrics, new RestoredSinkState(pending, 1, 5),
            new TransactionRecoveryClient(new Dictionary<string, string> { ["bootstrap.servers"] = broker.BootstrapServers }, TimeSpan.FromSeconds(20))))
        {
            restored.Write("c", null);
        }

        Assert.Equal(1, recorder.Sum("rivulet.kafka.sink.transactions_recovered"));
        Assert.Equal(1, recorder.Sum("rivulet.kafka.sink.transactions_aborted"));
        Assert.Equal(0, recorder.Sum("rivulet.kafka.sink.transactions_committed"));
        Assert.Equal(["a", "b"], SinkTestSupport.ReadAll(broker.BootstrapServers, topic, 1, IsolationLevel.ReadCommitted).Select(r => SinkTestSupport.Text(r.Message.Value)));
    }

    private TransactionalKafkaWriter<string> Start(string topic, string prefix, KafkaSinkMetrics metrics, RestoredSinkState restored, ITransactionCommitter committer) =>
        TransactionalKafkaWriter<string>.Start(
            SinkTestSupport.Settings(broker.BootstrapServers, topic, Semantic.ExactlyOnce, p => p["transaction.timeout.ms"] = "60000") with { TransactionalIdPrefix = prefix },
            Values, new FixedPartitioner<string>().Opened(0, 1), metrics, SinkTestSupport.Logger, 0, 1, restored, committer, SinkTestSupport.Probe(broker.BootstrapServers), TestContext.Current.CancellationToken);

    private static IKafkaSerializationSchema<string> Values => new ValueOnlySerializationSchema<string>(new SimpleStringSchema());

    private static string Unique(string what) => $"{what}-{Guid.NewGuid():N}"[..20];
}
