using System.Text.RegularExpressions;
using Confluent.Kafka;
using Rivulet.Testing.Kafka;

namespace Rivulet.EndToEnd.Tests;

/// <summary>
/// The seeds' two examples as runnable samples: WriteIntoKafka writes <c>add element : i</c> into
/// <c>flink001</c>, ReadFromKafka prints what the topic holds — against the test broker, and against
/// the broker one of them embeds when started without <c>--bootstrap-servers</c>.
/// </summary>
public sealed partial class SampleTests(KafkaTestClusterFixture broker) : IClassFixture<KafkaTestClusterFixture>
{
    private const string Writer = "WriteIntoKafka.dll";
    private const string Reader = "ReadFromKafka.dll";
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task WriteIntoKafka_writes_the_seeds_elements_and_ReadFromKafka_prints_them()
    {
        broker.Cluster.CreateTopic("flink001", 1);
        using (var writer = ChildProcess.Start(Writer, $"--bootstrap-servers {broker.BootstrapServers} --interval-ms 100 --count 5"))
        {
            Assert.True(await writer.WaitForExitAsync(Timeout) == 0, writer.Output);
        }

        string[] expected = ["add element : 0", "add element : 1", "add element : 2", "add element : 3", "add element : 4"];
        // Checked with a plain Kafka consumer first, independent of Rivulet's source.
        Assert.Equal(expected, ReadTopic(broker.BootstrapServers, "flink001"));

        using var reader = ChildProcess.Start(Reader, $"--bootstrap-servers {broker.BootstrapServers}");
        await Wait.UntilAsync(() => Lines(reader.StandardOutput).Length >= expected.Length, Timeout, "ReadFromKafka to print 5 records", reader);
        Assert.False(reader.HasExited, reader.Output);
        Assert.Equal(expected, Lines(reader.StandardOutput));
    }

    [Fact]
    public async Task ReadFromKafka_alone_embeds_a_broker_that_WriteIntoKafka_joins()
    {
        using var reader = ChildProcess.Start(Reader, string.Empty);
        var address = await EmbeddedBrokerAddressAsync(reader);

        using (var writer = ChildProcess.Start(Writer, $"--bootstrap-servers {address} --interval-ms 50 --count 3"))
        {
            Assert.True(await writer.WaitForExitAsync(Timeout) == 0, writer.Output);
        }

        await Wait.UntilAsync(() => Lines(reader.StandardOutput).Length >= 3, Timeout, "ReadFromKafka to print 3 records", reader);
        Assert.Equal(["add element : 0", "add element : 1", "add element : 2"], Lines(reader.StandardOutput));
    }

    [Fact]
    public async Task WriteIntoKafka_alone_embeds_a_broker_that_ReadFromKafka_joins()
    {
        using var writer = ChildProcess.Start(Writer, "--interval-ms 100");
        var address = await EmbeddedBrokerAddressAsync(writer);

        using var reader = ChildProcess.Start(Reader, $"--bootstrap-servers {address}");
        await Wait.UntilAsync(() => Lines(reader.StandardOutput).Length >= 3, Timeout, "ReadFromKafka to print 3 records", reader);
        Assert.Equal(["add element : 0", "add element : 1", "add element : 2"], Lines(reader.StandardOutput)[..3]);
        Assert.False(writer.HasExited, writer.Output);
    }

    private static async Task<string> EmbeddedBrokerAddressAsync(ChildProcess sample)
    {
        await Wait.UntilAsync(() => EmbeddedBroker().IsMatch(sample.Output), Timeout, "the embedded broker's address", sample);
        return EmbeddedBroker().Match(sample.Output).Groups["address"].Value;
    }

    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static List<string> ReadTopic(string bootstrapServers, string topic)
    {
        using var consumer = new ConsumerBuilder<Ignore, string>(new ConsumerConfig
        {
            BootstrapServers = bootstrapServers,
            GroupId = "sample-check-" + Guid.NewGuid().ToString("N"),
            EnablePartitionEof = true,
        }).Build();
        consumer.Assign(new TopicPartitionOffset(topic, 0, Offset.Beginning));
        var values = new List<string>();
        var deadline = DateTime.UtcNow + Timeout;
        while (DateTime.UtcNow < deadline)
        {
            var result = consumer.Consume(TimeSpan.FromMilliseconds(200));
            if (result is { IsPartitionEOF: true })
            {
                return values;
            }

            if (result is not null)
            {
                values.Add(result.Message.Value);
            }
        }

        throw new TimeoutException($"{topic} was not read to its end within {Timeout.TotalSeconds} s; read so far: {string.Join(", ", values)}");
    }

    [GeneratedRegex(@"embedded test broker: (?<address>\S+)")]
    private static partial Regex EmbeddedBroker();
}
