using System.Text;
using System.Text.Json.Nodes;
using Confluent.Kafka;
using Rivulet.Connectors.Kafka.Source.Deserialization;
using Rivulet.Connectors.Kafka.Source.Initializer;
using Rivulet.Connectors.Kafka.Source.Reader;
using Rivulet.Formats.Json;
using Rivulet.Testing.Kafka;

namespace Rivulet.Connectors.Kafka.Tests.Source;

/// <summary>The JSON deserialization schemas on records read from the test broker.</summary>
public sealed class JsonSchemaTests(KafkaTestClusterFixture broker) : IClassFixture<KafkaTestClusterFixture>
{
    [Fact]
    public async Task A_typed_json_value_is_deserialized_and_a_json_null_is_skipped()
    {
        var partition = await TopicWithAsync(("k1", """{"name":"apple","count":3}"""), (null, "null"), ("k2", """{"name":"pear","count":5}"""));
        using var harness = ReaderHarness<Fruit>.Create(broker.BootstrapServers, new ValueOnlyDeserializationSchema<Fruit>(new JsonDeserializationSchema<Fruit>()));
        harness.Start(new EarliestOffsetsInitializer(), partition);

        Assert.Equal([new Fruit("apple", 3), new Fruit("pear", 5)], harness.Read(2).Select(r => r.Element));
        Assert.Equal(1, harness.Metrics.RecordsSkipped);
    }

    [Fact]
    public async Task The_key_value_schema_gives_key_value_and_metadata_as_one_json_object()
    {
        var partition = await TopicWithAsync(("""{"id":7}""", """{"temperature":21.5}"""));
        using var harness = ReaderHarness<JsonObject>.Create(broker.BootstrapServers, new JsonKeyValueDeserializationSchema(includeMetadata: true));
        harness.Start(new EarliestOffsetsInitializer(), partition);

        var node = Assert.Single(harness.Read(1)).Element;
        Assert.Equal(7, node["key"]!["id"]!.GetValue<int>());
        Assert.Equal(21.5, node["value"]!["temperature"]!.GetValue<double>());
        Assert.Equal(partition.Topic, node["metadata"]!["topic"]!.GetValue<string>());
        Assert.Equal(0, node["metadata"]!["partition"]!.GetValue<int>());
        Assert.Equal(0, node["metadata"]!["offset"]!.GetValue<long>());
        Assert.Equal(1_234, node["metadata"]!["timestamp"]!.GetValue<long>());
    }

    [Fact]
    public async Task Malformed_json_fails_naming_topic_partition_and_offset()
    {
        var partition = await TopicWithAsync((null, """{"name":"apple","count":3}"""), (null, "{not json"));
        using var harness = ReaderHarness<Fruit>.Create(broker.BootstrapServers, new ValueOnlyDeserializationSchema<Fruit>(new JsonDeserializationSchema<Fruit>()));
        harness.Start(new EarliestOffsetsInitializer(), partition);

        Assert.Single(harness.Read(1));
        var error = Assert.Throws<KafkaRecordDeserializationException>(() => harness.Read(1));
        Assert.Contains($"'{partition.Topic}'", error.Message);
        Assert.Contains("partition 0", error.Message);
        Assert.Contains("offset 1", error.Message);
    }

    private async Task<KafkaTopicPartition> TopicWithAsync(params (string? Key, string Value)[] records)
    {
        var topic = KafkaTestClusterFixture.UniqueTopic("json");
        broker.Cluster.CreateTopic(topic, 1);
        using var producer = KafkaClientsForTests.Producer(broker.BootstrapServers);
        foreach (var (key, value) in records)
        {
            await producer.ProduceAsync(new TopicPartition(topic, 0), new Message<byte[], byte[]>
            {
                Key = key is null ? null! : Encoding.UTF8.GetBytes(key),
                Value = Encoding.UTF8.GetBytes(value),
                Timestamp = new Timestamp(1_234, TimestampType.CreateTime),
            });
        }

        return new KafkaTopicPartition(topic, 0);
    }

    private sealed record Fruit(string Name, int Count);
}
