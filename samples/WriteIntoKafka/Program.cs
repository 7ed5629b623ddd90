using System.CommandLine;
using Rivulet.Connectors.Kafka.Sink;
using Rivulet.Core.Api;
using Rivulet.Core.Serialization;

namespace Rivulet.Samples.WriteIntoKafka;

/// <summary>
/// The seeds' <c>WriteIntoKafkaProducer</c>: a custom source writes <c>add element : i</c> every
/// 3 seconds into the topic <c>flink001</c> through the Kafka sink.
/// </summary>
internal static class Program
{
    private static Task<int> Main(string[] args)
    {
        var bootstrap = new Option<string?>("--bootstrap-servers") { Description = "Kafka brokers host:port,…; without it an embedded test broker starts" };
        var interval = new Option<int>("--interval-ms") { Description = "Pause between two elements, in milliseconds", DefaultValueFactory = _ => 3_000 };
        var count = new Option<long?>("--count") { Description = "Stop after this many elements (default: run until Ctrl+C)" };
        var topic = new Option<string>("--topic") { DefaultValueFactory = _ => "flink001" };
        var property = KafkaPropertyOption.Create();
        var root = new RootCommand("Write 'add element : i' into a Kafka topic (the seeds' WriteIntoKafkaProducer)") { bootstrap, interval, count, topic, property };
        root.SetAction(async (result, ct) =>
        {
            if (result.GetValue(interval) < 0 || result.GetValue(count) is < 0)
            {
                await Console.Error.WriteLineAsync("--interval-ms and --count must not be negative.");
                return 2;
            }

            using var broker = SampleBroker.Connect(result.GetValue(bootstrap), result.GetValue(topic)!, otherSample: "ReadFromKafka");
            await RunAsync(broker.BootstrapServers, result.GetValue(topic)!, TimeSpan.FromMilliseconds(result.GetValue(interval)), result.GetValue(count), result.GetValue(property), ct);
            return 0;
        });
        return root.Parse(args).InvokeAsync();
    }

    private static async Task RunAsync(string bootstrapServers, string topic, TimeSpan interval, long? count, string[]? extraProperties, CancellationToken cancellationToken)
    {
        var env = StreamExecutionEnvironment.GetExecutionEnvironment();
        env.SetParallelism(1);

        var properties = new Dictionary<string, string> { ["bootstrap.servers"] = bootstrapServers };
        // The seed's cluster needs SASL (Kerberos): pass --property security.protocol=SASL_PLAINTEXT
        // --property sasl.kerberos.service.name=kafka; they reach the Kafka client unchanged.
        KafkaPropertyOption.AddTo(properties, extraProperties);

        // The custom source: one element every `interval`.
        var message = env.AddSource(new SimpleStringGenerator(interval, count));

        message.AddSink(new KafkaProducer<string>(topic, new SimpleStringSchema(), properties));

        await Console.Error.WriteLineAsync($"writing 'add element : <i>' to {topic} at {bootstrapServers} every {interval.TotalMilliseconds:0} ms");
        await env.ExecuteAsync("write-into-kafka", cancellationToken);
    }
}
