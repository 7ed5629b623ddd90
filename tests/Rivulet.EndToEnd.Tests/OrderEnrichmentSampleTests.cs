using System.Text.Json;
using Confluent.Kafka;
using Rivulet.Testing.Kafka;

namespace Rivulet.EndToEnd.Tests;

/// <summary>
/// samples/OrderEnrichment on the test broker: orders joined with customers from a second topic, flagged
/// by a broadcast rule, given points by an async lookup, written exactly-once — across a SIGKILL of the
/// job process and its restart from the latest checkpoint: every order once in the committed output.
/// </summary>
public sealed class OrderEnrichmentSampleTests(KafkaTestClusterFixture broker) : IClassFixture<KafkaTestClusterFixture>
{
    private const string Sample = "OrderEnrichment.dll";
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    [Fact]
    public async Task Every_order_is_enriched_flagged_and_scored_exactly_once_across_a_kill_and_restart()
    {
        broker.Cluster.CreateTopic("customers", 2);
        broker.Cluster.CreateTopic("orders", 2);
        broker.Cluster.CreateTopic("rules", 1);
        broker.Cluster.CreateTopic("enriched-orders", 2);
        var checkpoints = Directory.CreateTempSubdirectory("rivulet-order-enrichment-").FullName;
        var arguments = $"--bootstrap-servers {broker.BootstrapServers} --checkpoint-dir {checkpoints} --checkpoint-interval-ms 300";
        try
        {
            using var producer = new ProducerBuilder<string, string>(new ProducerConfig { BootstrapServers = broker.BootstrapServers }).Build();
            void Send<T>(string topic, string key, T value) => producer.Produce(topic, new Message<string, string> { Key = key, Value = JsonSerializer.Serialize(value, Json) });

            Send("rules", "min-large-amount", new { Name = "min-large-amount", Value = 100 });
            for (var c = 0; c < 10; c++)
            {
                Send("customers", $"c{c}", new { Id = $"c{c}", Name = $"name-c{c}" });
            }

            for (var i = 0; i < 40; i++)
            {
                Send("orders", CustomerOf(i), new { Id = $"o{i}", CustomerId = CustomerOf(i), Amount = AmountOf(i) });
            }

            producer.Flush(Timeout);

            using (var first = ChildProcess.Start(Sample, arguments))
            {
                await Wait.UntilAsync(() => ReadCommitted().Count >= 10, Timeout, "the first committed results", first);
                first.Kill();
            }

            using var second = ChildProcess.Start(Sample, arguments);
            // The rest, including orders of customer c10 before c10 itself arrives.
            for (var i = 40; i < 85; i++)
            {
                Send("orders", CustomerOf(i), new { Id = $"o{i}", CustomerId = CustomerOf(i), Amount = AmountOf(i) });
            }

            producer.Flush(Timeout);
            Send("customers", "c10", new { Id = "c10", Name = "name-c10" });
            producer.Flush(Timeout);
            await Wait.UntilAsync(() => ReadCommitted().Count >= 85, Timeout, "all 85 orders in the committed output", second);
            second.Terminate();
            await second.WaitForExitAsync(Timeout);

            var reports = ReadCommitted();
            Assert.Equal(85, reports.Count);
            Assert.Equal(85, reports.Select(r => r.GetProperty("orderId").GetString()).Distinct().Count());
            foreach (var report in reports)
            {
                var i = int.Parse(report.GetProperty("orderId").GetString()![1..], System.Globalization.CultureInfo.InvariantCulture);
                var amount = AmountOf(i);
                var large = amount >= 100;
                Assert.Equal($"name-{CustomerOf(i)}", report.GetProperty("customerName").GetString());
                Assert.Equal(amount, report.GetProperty("amount").GetInt32());
                Assert.Equal(large, report.GetProperty("large").GetBoolean());
                Assert.Equal(amount / 10 * (large ? 2 : 1), report.GetProperty("loyaltyPoints").GetInt32());
            }
        }
        finally
        {
            Directory.Delete(checkpoints, recursive: true);
        }
    }

    private static string CustomerOf(int order) => order >= 80 ? "c10" : $"c{order % 10}";

    private static int AmountOf(int order) => order * 37 % 200;

    /// <summary>Everything committed to <c>enriched-orders</c> so far, read with an independent consumer.</summary>
    private List<JsonElement> ReadCommitted()
    {
        using var consumer = new ConsumerBuilder<Ignore, string>(new ConsumerConfig
        {
            BootstrapServers = broker.BootstrapServers,
            GroupId = "check-" + Guid.NewGuid().ToString("N"),
            IsolationLevel = IsolationLevel.ReadCommitted,
            EnablePartitionEof = true,
        }).Build();
        consumer.Assign([new TopicPartitionOffset("enriched-orders", 0, Offset.Beginning), new TopicPartitionOffset("enriched-orders", 1, Offset.Beginning)]);
        var reports = new List<JsonElement>();
        var ended = new HashSet<int>();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (ended.Count < 2 && DateTime.UtcNow < deadline)
        {
            var result = consumer.Consume(TimeSpan.FromMilliseconds(200));
            if (result is null)
            {
                continue;
            }

            if (result.IsPartitionEOF)
            {
                ended.Add(result.Partition.Value);
                continue;
            }

            reports.Add(JsonDocument.Parse(result.Message.Value).RootElement.Clone());
        }

        return reports;
    }
}
