using System.CommandLine;
using Rivulet.Connectors.Kafka.Source;
using Rivulet.Core.Api;
using Rivulet.Core.Serialization;

namespace Rivulet.Samples.ReadFromKafka;

/// <summary>
/// The seeds' <c>ReadFromKafka</c>: reads the topic <c>flink001</c> as group <c>test</c> from the
/// earliest offset and prints every record (Flink's <c>print()</c>), until Ctrl+C.
/// </summary>
internal static class Program
{
    private static Task<int> Main(string[] args)
    {
        var bootstrap = new Option<string?>("--bootstrap-servers") { Description = "Kafka brokers host:port,…; without it an embedded test broker starts" };
        var topic = new Option<string>("--topic") { DefaultValueFactory = _ => "flink001" };
        var group = new Option<string>("--group") { DefaultValueFactory = _ => "test" };
        var property = KafkaPropertyOption.Create();
        var root = new RootCommand("Print the records of a Kafka topic (the seeds' ReadFromKafka)") { bootstrap, topic, group, property };
        root.SetAction(async (result, ct) =>
        {
            using var broker = SampleBroker.Connect(result.GetValue(bootstrap), result.GetValue(topic)!, otherSample: "WriteIntoKafka");
            await RunAsync(broker.BootstrapServers, result.GetValue(topic)!, result.GetValue(group)!, result.GetValue(property), ct);
            return 0;
        });
        return root.Parse(args).InvokeAsync();
    }

    private static async Task RunAsync(string bootstrapServers, string topic, string groupId, string[]? extraProperties, CancellationToken cancellationToken)
    {
        // The Kafka client's properties; adapt them to your cluster.
        var properties = new Dictionary<string, string>
        {
            ["group.id"] = groupId,
            ["auto.offset.reset"] = "earliest",
            ["bootstrap.servers"] = bootstrapServers,
        };
        // The seed's cluster needs SASL (Kerberos): --property security.protocol=SASL_PLAINTEXT
        // --property sasl.kerberos.service.name=kafka.
        KafkaPropertyOption.AddTo(properties, extraProperties);

        var env = StreamExecutionEnvironment.GetExecutionEnvironment();
        env.SetParallelism(1);

        // Kafka as the source (topic, deserialization schema, properties).
        var streamkafka = env.AddSource(new KafkaConsumer<string>(topic, new SimpleStringSchema(), properties));
        streamkafka.Print();

        await env.ExecuteAsync("kafka - test001", cancellationToken);
    }
}
