using System.Text;
using Confluent.Kafka;
using Rivulet.Connectors.Kafka.Sink;
using Rivulet.Connectors.Kafka.Sink.Metrics;
using Rivulet.Connectors.Kafka.Sink.Partitioning;
using Rivulet.Connectors.Kafka.Sink.Serialization;
using Rivulet.Connectors.Kafka.Sink.Writer;
using Rivulet.Core.Serialization;
using Rivulet.Formats.Json;
using Rivulet.Testing.Kafka;

namespace Rivulet.Connectors.Kafka.Tests.Sink;

public sealed class NonTransactionalWriterTests(KafkaTestClusterFixture broker) : IClassFixture<KafkaTestClusterFixture>
{
    [Fact]
    public void At_least_once_checkpoint_returns_only_when_every_record_is_acknowledged()
    {
        var topic = NewTopic(3);
        using var metrics = new KafkaSinkMetrics("sink", 0);
        using var writer = Writer(topic, Semantic.AtLeastOnce, metrics, p => p["linger.ms"] = "500");
        for (var i = 0; i < 1000; i++)
        {
            writer.Write($"r{i}", null);
        }

        writer.SnapshotState(1);

        Assert.Equal(1000, metrics.RecordsAcknowledged);
        Assert.Equal(1000, SinkTestSupport.ReadAll(broker.BootstrapServers, topic, 3).Count);
    }

    [Fact]
    public void A_delivery_failure_fails_the_next_checkpoint()
    {
        // Injected errors hit whoever sends next: a cluster of its own keeps them in this test.
        using var cluster = KafkaTestCluster.Start(1);
        using var metrics = new KafkaSinkMetrics("sink", 0);
        var (topic, writer) = AtLeastOnceWriter(cluster, metrics);
        using var _ = writer;
        cluster.InjectRequestErrors(KafkaApiKey.Produce, ErrorCode.TopicAuthorizationFailed);
        writer.Write("doomed", null);

        var error = Assert.Throws<KafkaException>(() => writer.SnapshotState(1));
        Assert.Contains(topic, error.Message);
        Assert.Contains("TopicAuthorizationFailed", error.Message);
        Assert.Equal(1, metrics.RecordsFailed);
    }

    [Fact]
    public async Task A_delivery_failure_fails_the_next_record()
    {
        using var cluster = KafkaTestCluster.Start(1);
        using var metrics = new KafkaSinkMetrics("sink", 0);
        var (topic, writer) = AtLeastOnceWriter(cluster, metrics);
        using var _ = writer;
        cluster.InjectRequestErrors(KafkaApiKey.Produce, ErrorCode.InvalidRecord);
        writer.Write("doomed", null);
        await JobWait.UntilAsync(() => metrics.RecordsFailed == 1, TimeSpan.FromSeconds(20), "the failed delivery report");

        var error = Assert.Throws<KafkaException>(() => writer.Write("next", null));
        Assert.Contains($"topic '{topic}', partition 0: InvalidRecord", error.Message);
        Assert.Equal(1, metrics.RecordsSent);
    }

    [Theory]
    [InlineData(Semantic.None, true)]
    [InlineData(Semantic.AtLeastOnce, false)]
    public void Without_flush_on_checkpoint_a_checkpoint_does_not_wait_for_acknowledgements(Semantic semantic, bool flushOnCheckpoint)
    {
        var topic = NewTopic(1);
        using var metrics = new KafkaSinkMetrics("sink", 0);
        // Records wait a minute in the client before being sent, unless someone flushes.
        var settings = SinkTestSupport.Settings(broker.BootstrapServers, topic, semantic, p => p["linger.ms"] = "60000") with { FlushOnCheckpoint = flushOnCheckpoint };
        using var writer = new NonTransactionalKafkaWriter<string>(settings, Values, new FixedPartitioner<string>().Opened(0, 1), metrics, SinkTestSupport.Logger, TestContext.Current.CancellationToken);
        for (var i = 0; i < 100; i++)
        {
            writer.Write($"r{i}", null);
        }

        writer.SnapshotState(1);

        Assert.Equal(0, metrics.RecordsAcknowledged);
        Assert.Empty(SinkTestSupport.ReadAll(broker.BootstrapServers, topic, 1));
        writer.Finish();
        Assert.Equal(100, metrics.RecordsAcknowledged);
    }

    [Fact]
    public void LogFailuresOnly_counts_failures_instead_of_failing()
    {
        using var cluster = KafkaTestCluster.Start(1);
        var topic = KafkaTestClusterFixture.UniqueTopic("sink");
        cluster.CreateTopic(topic, 1);
        using var metrics = new KafkaSinkMetrics("sink", 0);
        var settings = SinkTestSupport.Settings(cluster.BootstrapServers, topic, Semantic.AtLeastOnce, p => p["message.timeout.ms"] = "3000") with { LogFailuresOnly = true };
        using var writer = new NonTransactionalKafkaWriter<string>(settings, Values, new FixedPartitioner<string>().Opened(0, 1), metrics, SinkTestSupport.Logger, TestContext.Current.CancellationToken);
        // Non-retriable: the records fail at once. Each write either gets a failed delivery report
        // or is refused synchronously while the client still remembers the topic's error.
        cluster.InjectRequestErrors(KafkaApiKey.Produce, ErrorCode.InvalidRecord, ErrorCode.InvalidRecord);
        writer.Write("lost-1", null);
        writer.SnapshotState(1);
        writer.Write("lost-2", null);
        writer.SnapshotState(2);
        writer.Write("kept", null);
        writer.SnapshotState(3);

        Assert.Equal(2, metrics.RecordsFailed);
        Assert.Equal(1, metrics.RecordsAcknowledged);
        Assert.Equal(["kept"], SinkTestSupport.ReadAll(cluster.BootstrapServers, topic, 1).Select(r => SinkTestSupport.Text(r.Message.Value)));
    }

    [Fact]
    public void The_fixed_partitioner_sends_subtask_i_to_partition_i_mod_partitions()
    {
        var topic = NewTopic(2);
        using var metrics = new KafkaSinkMetrics("sink", 0);
        foreach (var subtask in new[] { 0, 1, 2 })
        {
            var settings = SinkTestSupport.Settings(broker.BootstrapServers, topic, Semantic.AtLeastOnce);
            using var writer = new NonTransactionalKafkaWriter<string>(settings, Values, new FixedPartitioner<string>().Opened(subtask, 3), metrics, SinkTestSupport.Logger, TestContext.Current.CancellationToken);
            for (var i = 0; i < 10; i++)
            {
                writer.Write($"s{subtask}-{i}", null);
            }

            writer.Finish();
        }

        var read = SinkTestSupport.ReadAll(broker.BootstrapServers, topic, 2);
        Assert.All(read, r => Assert.Equal(int.Parse(SinkTestSupport.Text(r.Message.Value)[1..2]) % 2, r.Partition.Value));
        Assert.Equal(30, read.Count);
    }

    [Fact]
    public void A_keyed_schema_chooses_topic_partition_key_headers_and_timestamp()
    {
        var defaultTopic = NewTopic(1);
        var otherTopic = NewTopic(3);
        using var metrics = new KafkaSinkMetrics("sink", 0);
        var settings = SinkTestSupport.Settings(broker.BootstrapServers, defaultTopic, Semantic.AtLeastOnce);
        using (var writer = new NonTransactionalKafkaWriter<(string Key, string Value, bool Elsewhere)>(settings, new RoutingSchema(otherTopic), partitioner: null, metrics, SinkTestSupport.Logger, TestContext.Current.CancellationToken))
        {
            writer.Write(("a", "to-default", false), 1_000);
            writer.Write(("b", "to-other", true), 2_000);
            writer.Finish();
        }

        var atDefault = Assert.Single(SinkTestSupport.ReadAll(broker.BootstrapServers, defaultTopic, 1));
        Assert.Equal(("a", "to-default"), (SinkTestSupport.Text(atDefault.Message.Key), SinkTestSupport.Text(atDefault.Message.Value)));
        var atOther = Assert.Single(SinkTestSupport.ReadAll(broker.BootstrapServers, otherTopic, 3));
        Assert.Equal(2, atOther.Partition.Value);
        Assert.Equal(99_000, atOther.Message.Timestamp.UnixTimestampMs);
        Assert.Equal("v", Encoding.UTF8.GetString(atOther.Message.Headers.GetLastBytes("h")));
    }

    [Fact]
    public void A_JSON_schema_writes_elements_as_JSON_values()
    {
        var topic = NewTopic(1);
        using var metrics = new KafkaSinkMetrics("sink", 0);
        var settings = SinkTestSupport.Settings(broker.BootstrapServers, topic, Semantic.AtLeastOnce);
        using (var writer = new NonTransactionalKafkaWriter<Reading>(settings, new ValueOnlySerializationSchema<Reading>(new JsonSerializationSchema<Reading>()),
            new FixedPartitioner<Reading>().Opened(0, 1), metrics, SinkTestSupport.Logger, TestContext.Current.CancellationToken))
        {
            writer.Write(new Reading("pump-1", 2.5), null);
            writer.Finish();
        }

        var record = Assert.Single(SinkTestSupport.ReadAll(broker.BootstrapServers, topic, 1));
        Assert.Equal("""{"sensor":"pump-1","value":2.5}""", SinkTestSupport.Text(record.Message.Value));
        Assert.Null(record.Message.Key);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void WriteTimestampToKafka_writes_the_element_timestamp(bool write)
    {
        var topic = NewTopic(1);
        using var metrics = new KafkaSinkMetrics("sink", 0);
        var settings = SinkTestSupport.Settings(broker.BootstrapServers, topic, Semantic.AtLeastOnce) with { WriteTimestampToKafka = write };
        using (var writer = new NonTransactionalKafkaWriter<string>(settings, Values, new FixedPartitioner<string>().Opened(0, 1), metrics, SinkTestSupport.Logger, TestContext.Current.CancellationToken))
        {
            writer.Write("x", 123_456);
            writer.Finish();
        }

        var record = Assert.Single(SinkTestSupport.ReadAll(broker.BootstrapServers, topic, 1));
        if (write)
        {
            Assert.Equal(123_456, record.Message.Timestamp.UnixTimestampMs);
        }
        else
        {
            // The client stamps the send time instead.
            Assert.True(record.Message.Timestamp.UnixTimestampMs > 1_600_000_000_000, $"got {record.Message.Timestamp.UnixTimestampMs}");
        }
    }

    /// <summary>A writer to a new one-partition topic of <paramref name="cluster"/> (a cluster of the test's own, for injected errors).</summary>
    private static (string Topic, NonTransactionalKafkaWriter<string> Writer) AtLeastOnceWriter(KafkaTestCluster cluster, KafkaSinkMetrics metrics)
    {
        var topic = KafkaTestClusterFixture.UniqueTopic("sink");
        cluster.CreateTopic(topic, 1);
        var settings = SinkTestSupport.Settings(cluster.BootstrapServers, topic, Semantic.AtLeastOnce);
        return (topic, new NonTransactionalKafkaWriter<string>(settings, Values, new FixedPartitioner<string>().Opened(0, 1), metrics, SinkTestSupport.Logger, TestContext.Current.CancellationToken));
    }

    private static IKafkaSerializationSchema<string> Values => new ValueOnlySerializationSchema<string>(new SimpleStringSchema());

    private NonTransactionalKafkaWriter<string> Writer(string topic, Semantic semantic, KafkaSinkMetrics metrics, Action<Dictionary<string, string>>? properties = null) =>
        new(SinkTestSupport.Settings(broker.BootstrapServers, topic, semantic, properties), Values, new FixedPartitioner<string>().Opened(0, 1), metrics, SinkTestSupport.Logger, TestContext.Current.CancellationToken);

    private string NewTopic(int partitions)
    {
        var topic = KafkaTestClusterFixture.UniqueTopic("sink");
        broker.Cluster.CreateTopic(topic, partitions);
        return topic;
    }

    private sealed record Reading(string Sensor, double Value);

    private sealed class RoutingSchema(string otherTopic) : IKafkaSerializationSchema<(string Key, string Value, bool Elsewhere)>
    {
        public KafkaProducerRecord Serialize((string Key, string Value, bool Elsewhere) element, long? timestampMs) =>
            element.Elsewhere
                ? new KafkaProducerRecord(Encoding.UTF8.GetBytes(element.Key), Encoding.UTF8.GetBytes(element.Value))
                {
                    Topic = otherTopic,
                    Partition = 2,
                    TimestampMs = 99_000,
                    Headers = [new("h", Encoding.UTF8.GetBytes("v"))],
                }
                : new KafkaProducerRecord(Encoding.UTF8.GetBytes(element.Key), Encoding.UTF8.GetBytes(element.Value));
    }
}

internal static class PartitionerTestExtensions
{
    public static KafkaPartitioner<T> Opened<T>(this KafkaPartitioner<T> partitioner, int subtask, int parallelism)
    {
        partitioner.Open(subtask, parallelism);
        return partitioner;
    }
}
