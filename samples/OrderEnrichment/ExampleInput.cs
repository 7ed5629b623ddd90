using System.Text.Json;
using Confluent.Kafka;

namespace Rivulet.Samples.OrderEnrichment;

/// <summary>A few customers, orders and the large-order rule, for a run on the embedded broker.</summary>
internal static class ExampleInput
{
    public static void Write(string bootstrapServers)
    {
        using var producer = new ProducerBuilder<string, string>(new ProducerConfig { BootstrapServers = bootstrapServers }).Build();
        var json = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        void Send<T>(string topic, string key, T value) => producer.Produce(topic, new Message<string, string> { Key = key, Value = JsonSerializer.Serialize(value, json) });

        Send(Program.Rules, FlagLargeOrders.MinLargeAmount, new Rule(FlagLargeOrders.MinLargeAmount, 100));
        foreach (var (id, name) in new[] { ("c1", "Ada"), ("c2", "Grace"), ("c3", "Edsger") })
        {
            Send(Program.Customers, id, new Customer(id, name));
        }

        for (var i = 0; i < 10; i++)
        {
            var customer = $"c{i % 3 + 1}";
            Send(Program.Orders, customer, new Order($"o{i}", customer, 30 * (i + 1)));
        }

        producer.Flush(TimeSpan.FromSeconds(30));
    }
}
