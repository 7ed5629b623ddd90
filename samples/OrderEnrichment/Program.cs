using System.CommandLine;
using System.Text.Json;
using Rivulet.Connectors.Kafka.Sink;
using Rivulet.Connectors.Kafka.Sink.Serialization;
using Rivulet.Connectors.Kafka.Source;
using Rivulet.Core.Api;
using Rivulet.Core.State;
using Rivulet.Core.Time;
using Rivulet.Formats.Json;

namespace Rivulet.Samples.OrderEnrichment;

/// <summary>
/// Orders enriched around Kafka, exactly-once: orders joined with their customer from a second topic
/// (two inputs, keyed state with a time-to-live), flagged by rules that change at run time (broadcast
/// state), given loyalty points by an asynchronous lookup (async I/O), written to <c>enriched-orders</c>
/// in Kafka transactions. Restarted after a crash, it resumes from its latest checkpoint.
/// </summary>
internal static class Program
{
    public const string Customers = "customers";
    public const string Orders = "orders";
    public const string Rules = "rules";
    public const string Output = "enriched-orders";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private static Task<int> Main(string[] args)
    {
        var bootstrap = new Option<string?>("--bootstrap-servers") { Description = "Kafka brokers host:port,…; without it an embedded test broker starts" };
        var checkpoints = new Option<string?>("--checkpoint-dir")
        {
            Description = "where checkpoints go; a restart resumes from the latest one there (default: a fixed temp directory, or a fresh one with the embedded broker)",
        };
        var interval = new Option<int>("--checkpoint-interval-ms") { DefaultValueFactory = _ => 1000 };
        var parallelism = new Option<int>("--parallelism") { DefaultValueFactory = _ => 2 };
        var property = KafkaPropertyOption.Create();
        var root = new RootCommand("Enrich orders with customers, rules and loyalty points, exactly-once (Kafka in and out)") { bootstrap, checkpoints, interval, parallelism, property };
        root.SetAction(async (result, ct) =>
        {
            using var broker = SampleBroker.Connect(result.GetValue(bootstrap), Orders, otherSample: null, Customers, Rules, Output);
            var properties = new Dictionary<string, string> { ["bootstrap.servers"] = broker.BootstrapServers };
            if (broker.IsEmbedded)
            {
                ExampleInput.Write(broker.BootstrapServers);
                Console.Error.WriteLine($"wrote example customers, orders and a rule; read the results with: kcat -b {broker.BootstrapServers} -C -t {Output} -X isolation.level=read_committed");
            }

            KafkaPropertyOption.AddTo(properties, result.GetValue(property));
            // An embedded broker starts empty: checkpoints of an earlier run would point past its input.
            var checkpointDirectory = result.GetValue(checkpoints)
                ?? (broker.IsEmbedded ? Directory.CreateTempSubdirectory("rivulet-order-enrichment-").FullName : Path.Combine(Path.GetTempPath(), "rivulet-order-enrichment"));
            await RunAsync(properties, checkpointDirectory, result.GetValue(interval), result.GetValue(parallelism), ct);
            return 0;
        });
        return root.Parse(args).InvokeAsync();
    }

    private static async Task RunAsync(IReadOnlyDictionary<string, string> kafka, string checkpointDirectory, int checkpointIntervalMs, int parallelism, CancellationToken cancellationToken)
    {
        var env = StreamExecutionEnvironment.GetExecutionEnvironment().SetParallelism(parallelism);
        env.EnableCheckpointing(checkpointIntervalMs);
        env.CheckpointConfig.CheckpointDirectory = checkpointDirectory;
        env.SetResumeFromLatestCheckpoint();

        var orders = env.FromSource(Source<Order>(kafka, Orders), WatermarkStrategy<Order>.NoWatermarks(), "Orders").Uid("orders");
        var customers = env.FromSource(Source<Customer>(kafka, Customers), WatermarkStrategy<Customer>.NoWatermarks(), "Customers").Uid("customers");
        var rules = env.FromSource(Source<Rule>(kafka, Rules), WatermarkStrategy<Rule>.NoWatermarks(), "Rules").Uid("rules");

        // Two inputs sharing keyed state: each order meets its customer.
        var enriched = orders.KeyBy(order => order.CustomerId)
            .Connect(customers.KeyBy(customer => customer.Id))
            .Process(new EnrichWithCustomer()).Uid("enrich").Name("Enrich with customer");

        // Rules broadcast to every subtask.
        var ruleState = new MapStateDescriptor<string, int>("rules");
        var flagged = enriched.KeyBy(order => order.CustomerId)
            .Connect(rules.Broadcast(ruleState))
            .Process(new FlagLargeOrders(ruleState)).Uid("flag").Name("Flag large orders");

        // An asynchronous lookup, many calls in flight.
        var reports = AsyncDataStream.OrderedWait(flagged, new LoyaltyPointsLookup(TimeSpan.FromMilliseconds(5)), TimeSpan.FromSeconds(30), capacity: 50)
            .Uid("loyalty").Name("Loyalty points");

        reports.SinkTo(KafkaSink.Builder<OrderReport>()
            .SetProperties(kafka)
            .SetRecordSerializer(KafkaRecordSerializationSchema.Builder<OrderReport>()
                .SetTopic(Output)
                .SetValueSerializationSchema(new JsonSerializationSchema<OrderReport>(Json))
                .Build())
            .SetDeliveryGuarantee(DeliveryGuarantee.ExactlyOnce)
            .SetTransactionalIdPrefix("order-enrichment")
            // Brokers allow at most 15 minutes by default (transaction.max.timeout.ms); the client asks for an hour.
            .SetProperty("transaction.timeout.ms", "900000")
            .Build(), "Enriched orders").Uid("sink");

        await env.ExecuteAsync("order-enrichment", cancellationToken);
    }

    private static KafkaSource<T> Source<T>(IReadOnlyDictionary<string, string> kafka, string topic) =>
        KafkaSource.Builder<T>()
            .SetProperties(kafka)
            .SetTopics(topic)
            .SetGroupId("order-enrichment")
            .SetStartingOffsets(OffsetsInitializer.Earliest())
            .SetValueOnlyDeserializer(new JsonDeserializationSchema<T>(Json))
            .Build();
}
