using System.Text;
using System.Text.RegularExpressions;
using Confluent.Kafka;
using Rivulet.Connectors.Kafka.Source.Deserialization;
using Rivulet.Connectors.Kafka.Source.Initializer;
using Rivulet.Connectors.Kafka.Source.Reader;
using Rivulet.Connectors.Kafka.Source.Subscriber;
using Rivulet.Testing.Kafka;

namespace Rivulet.Connectors.Kafka.Tests.Source;

public sealed class PartitionReaderTests(KafkaTestClusterFixture broker) : IClassFixture<KafkaTestClusterFixture>
{
    [Fact]
    public async Task A_schema_that_throws_fails_with_topic_partition_and_offset()
    {
        var topic = KafkaTestClusterFixture.UniqueTopic("poison");
        broker.Cluster.CreateTopic(topic, 1);
        await TestInput.WriteAsync(broker.BootstrapServers, topic, 0, ["1", "2", "poison", "4"]);
        using var harness = ReaderHarness<int?>.Create(broker.BootstrapServers, new IntSchema());
        harness.Start(new EarliestOffsetsInitializer(), new KafkaTopicPartition(topic, 0));

        Assert.Equal<int?>([1, 2], harness.Read(2).Select(r => r.Element));
        var error = Assert.Throws<KafkaRecordDeserializationException>(() => harness.Read(1));
        Assert.Contains($"topic '{topic}', partition 0, offset 2", error.Message);
        Assert.Equal(2, error.Offset);
        Assert.IsType<FormatException>(error.InnerException);
        // The failed record is not consumed: a restart from the checkpoint would meet it again.
        Assert.Equal(2, harness.Reader.Positions[new KafkaTopicPartition(topic, 0)]);
    }

    [Fact]
    public async Task A_schema_returning_null_skips_the_record_and_counts_it()
    {
        var topic = KafkaTestClusterFixture.UniqueTopic("skip");
        broker.Cluster.CreateTopic(topic, 1);
        await TestInput.WriteAsync(broker.BootstrapServers, topic, 0, ["1", "", "3", "", "5"]);
        using var harness = ReaderHarness<int?>.Create(broker.BootstrapServers, new IntSchema());
        harness.Start(new EarliestOffsetsInitializer(), new KafkaTopicPartition(topic, 0));

        Assert.Equal<int?>([1, 3, 5], harness.Read(3).Select(r => r.Element));
        Assert.Equal(2, harness.Metrics.RecordsSkipped);
        Assert.Equal(3, harness.Metrics.RecordsRead);
        Assert.Equal(5, harness.Reader.Positions[new KafkaTopicPartition(topic, 0)]);
    }

    [Fact]
    public async Task The_keyed_schema_sees_key_value_and_coordinates()
    {
        var topic = KafkaTestClusterFixture.UniqueTopic("keyed");
        broker.Cluster.CreateTopic(topic, 2);
        using (var producer = KafkaClientsForTests.Producer(broker.BootstrapServers))
        {
            await producer.ProduceAsync(new TopicPartition(topic, 1), new Message<byte[], byte[]>
            {
                Key = Encoding.UTF8.GetBytes("the-key"),
                Value = Encoding.UTF8.GetBytes("the-value"),
                Timestamp = new Timestamp(1_234_567, TimestampType.CreateTime),
                Headers = new Headers { { "h1", [7] } },
            }, TestContext.Current.CancellationToken);
        }

        using var harness = ReaderHarness<KafkaRecord>.Create(broker.BootstrapServers, new WholeRecordSchema());
        harness.Start(new EarliestOffsetsInitializer(), new KafkaTopicPartition(topic, 0), new KafkaTopicPartition(topic, 1));
        var record = Assert.Single(harness.Read(1)).Element;

        Assert.Equal((topic, 1, 0L, 1_234_567L), (record.Topic, record.Partition, record.Offset, record.TimestampMs));
        Assert.Equal("the-key", Encoding.UTF8.GetString(record.Key!));
        Assert.Equal("the-value", Encoding.UTF8.GetString(record.Value!));
        var header = Assert.Single(record.Headers);
        Assert.Equal(("h1", (byte)7), (header.Key, Assert.Single(header.Value)));
    }

    [Fact]
    public async Task End_of_stream_is_reported_and_not_emitted()
    {
        var topic = KafkaTestClusterFixture.UniqueTopic("eos");
        broker.Cluster.CreateTopic(topic, 1);
        await TestInput.WriteAsync(broker.BootstrapServers, topic, 0, ["1", "2", "-1", "4"]);
        using var harness = ReaderHarness<int?>.Create(broker.BootstrapServers, new IntSchema());
        harness.Start(new EarliestOffsetsInitializer(), new KafkaTopicPartition(topic, 0));

        Assert.Equal<int?>([1, 2], harness.Read(2).Select(r => r.Element));
        var fetched = FetchedRecord<int?>.None;
        var until = DateTime.UtcNow.AddSeconds(10);
        while (fetched.Outcome == FetchOutcome.Nothing && DateTime.UtcNow < until)
        {
            fetched = harness.Reader.Poll(TimeSpan.FromMilliseconds(100));
        }

        Assert.Equal(FetchOutcome.EndOfStream, fetched.Outcome);
        Assert.Equal(2, fetched.Offset);
    }

    [Fact]
    public async Task Discovery_sees_new_partitions_and_new_topics_matching_the_pattern()
    {
        var prefix = "disc" + Guid.NewGuid().ToString("N")[..8];
        broker.Cluster.CreateTopic($"{prefix}-a", 2);
        using var harness = ReaderHarness<string>.Create(broker.BootstrapServers, TestInput.Strings);
        var subscriber = new TopicPatternSubscriber(new Regex($"{prefix}-[a-z]"));

        Assert.Equal([new($"{prefix}-a", 0), new($"{prefix}-a", 1)], harness.Reader.DiscoverPartitions(subscriber, TimeSpan.FromSeconds(10)));

        broker.Cluster.AddPartitions($"{prefix}-a", 4);
        broker.Cluster.CreateTopic($"{prefix}-b", 1);
        broker.Cluster.CreateTopic($"{prefix}-bb", 1); // the whole name must match
        var found = harness.Reader.DiscoverPartitions(subscriber, TimeSpan.FromSeconds(10));
        Assert.Equal(
            [new($"{prefix}-a", 0), new($"{prefix}-a", 1), new($"{prefix}-a", 2), new($"{prefix}-a", 3), new($"{prefix}-b", 0)],
            found);
    }

    [Fact]
    public void Unknown_client_settings_fail_at_start_with_the_clients_message()
    {
        var error = Assert.Throws<ArgumentException>(() =>
            ReaderHarness<string>.Create(broker.BootstrapServers, TestInput.Strings, extra: new() { ["security.protocol"] = "carrier-pigeon" }));
        Assert.Contains("security.protocol", error.Message);
    }

    [Fact]
    public void Tls_against_a_plaintext_broker_fails_within_the_timeout_naming_the_cause()
    {
        using var harness = ReaderHarness<string>.Create(broker.BootstrapServers, TestInput.Strings, extra: new() { ["security.protocol"] = "SSL" });
        var started = DateTime.UtcNow;
        var error = Assert.ThrowsAny<KafkaException>(() => harness.Reader.DiscoverPartitions(new TopicListSubscriber(["any"]), TimeSpan.FromSeconds(5)));
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(30), "must not hang");
        Assert.Contains("metadata", error.Message);
        Assert.Contains("SSL", error.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("last client error", error.Message);
    }

    [Fact]
    public void The_seeds_kerberos_settings_on_the_stock_client_are_refused_naming_the_setting_for_a_gssapi_library()
    {
        // The seeds' settings: SASL_PLAINTEXT with Kerberos service "kafka" (GSSAPI). The tests run
        // on the stock librdkafka, which has no GSSAPI on Debian; NativeClientTests run the
        // Kerberos paths on a GSSAPI build through RIVULET_LIBRDKAFKA.
        var extra = new Dictionary<string, string> { ["security.protocol"] = "SASL_PLAINTEXT", ["sasl.kerberos.service.name"] = "kafka" };
        var error = Assert.Throws<ArgumentException>(() => ReaderHarness<string>.Create(broker.BootstrapServers, TestInput.Strings, extra: extra));
        Assert.Contains("No provider for SASL mechanism GSSAPI", error.Message);
        Assert.Contains("RIVULET_LIBRDKAFKA", error.Message);
    }

    private sealed class IntSchema : IKafkaDeserializationSchema<int?>
    {
        public int? Deserialize(KafkaRecord record)
        {
            var text = Encoding.UTF8.GetString(record.Value ?? []);
            return text.Length == 0 ? null : int.Parse(text, System.Globalization.CultureInfo.InvariantCulture);
        }

        public bool IsEndOfStream(int? nextElement) => nextElement < 0;
    }

    private sealed class WholeRecordSchema : IKafkaDeserializationSchema<KafkaRecord>
    {
        public KafkaRecord Deserialize(KafkaRecord record) => record;
    }
}
