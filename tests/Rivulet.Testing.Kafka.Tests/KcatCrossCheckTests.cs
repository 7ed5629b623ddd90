namespace Rivulet.Testing.Kafka.Tests;

/// <summary>kcat runs on Debian's own librdkafka build: an independent client of the test broker.</summary>
public sealed class KcatCrossCheckTests(KafkaTestClusterFixture broker) : IClassFixture<KafkaTestClusterFixture>
{
    [Fact]
    public async Task Kcat_lists_every_broker_and_the_topic_partitions()
    {
        var topic = KafkaTestClusterFixture.UniqueTopic();
        broker.Cluster.CreateTopic(topic, partitions: 6);
        var (exit, output, error) = await Kcat.RunAsync($"-b {broker.BootstrapServers} -L -t {topic}");
        Assert.True(exit == 0, error);
        Assert.Contains("3 brokers:", output);
        foreach (var address in broker.BootstrapServers.Split(','))
        {
            Assert.Contains(address, output);
        }

        Assert.Contains($"topic \"{topic}\" with 6 partitions", output);
    }

    [Fact]
    public async Task Records_written_by_our_client_are_read_by_kcat_and_back()
    {
        var topic = KafkaTestClusterFixture.UniqueTopic();
        broker.Cluster.CreateTopic(topic, partitions: 2);
        using (var producer = KafkaClients.Producer(broker.BootstrapServers))
        {
            await KafkaClients.ProduceAllAsync(producer, topic, Enumerable.Range(0, 40).Select(i => ($"k{i}", $"ours-{i}")));
        }

        var (exit, output, error) = await Kcat.RunAsync($"-b {broker.BootstrapServers} -C -t {topic} -o beginning -e -q -f %k=%s\\n");
        Assert.True(exit == 0, error);
        Assert.Equal(
            Enumerable.Range(0, 40).Select(i => $"k{i}=ours-{i}").Order(),
            output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Order());

        var lines = string.Concat(Enumerable.Range(0, 25).Select(i => $"kk{i}:kcat-{i}\n"));
        (exit, _, error) = await Kcat.RunAsync($"-b {broker.BootstrapServers} -P -t {topic} -p 1 -K :", input: lines);
        Assert.True(exit == 0, error);

        using var consumer = KafkaClients.Consumer(broker.BootstrapServers);
        consumer.Assign([new Confluent.Kafka.TopicPartitionOffset(topic, 1, Confluent.Kafka.Offset.Beginning)]);
        var read = KafkaClients.ConsumeToEnd(consumer, 1, TimeSpan.FromSeconds(20)).Where(r => r.Message.Value.StartsWith("kcat-", StringComparison.Ordinal));
        Assert.Equal(Enumerable.Range(0, 25).Select(i => $"kk{i}=kcat-{i}"), read.Select(r => $"{r.Message.Key}={r.Message.Value}"));
    }
}
