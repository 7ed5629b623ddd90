using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Rivulet.Cluster;
using Rivulet.Connectors.Kafka;
using Rivulet.Connectors.Kafka.Sink;
using Rivulet.Connectors.Kafka.Sink.Partitioning;
using Rivulet.Connectors.Kafka.Sink.Serialization;
using Rivulet.Connectors.Kafka.Source;
using Rivulet.Connectors.Kafka.Source.Deserialization;
using Rivulet.Core.Api;
using Rivulet.Core.Api.Functions;
using Rivulet.Core.Serialization;
using Rivulet.Core.State;
using Rivulet.Core.Time;
using Rivulet.Core.Time.Windows;
using Rivulet.Core.Time.Windows.Evictors;
using Rivulet.Core.Time.Windows.Triggers;
using Rivulet.Formats.Json;

namespace Rivulet.EndToEnd.Tests;

// The C# snippets of README.md, compiled here: ReadmeSnippetsTests fails when a ```csharp block
// of the README is not found in this file, so the README only shows code that builds.

internal static class ReadmeSnippets
{
    public static DataStream<string> Consumer(StreamExecutionEnvironment env)
    {
        var properties = new Dictionary<string, string>
        {
            ["bootstrap.servers"] = "localhost:9092",
            ["group.id"] = "test",
        };
        DataStream<string> stream = env
            .AddSource(new KafkaConsumer<string>("topic", new SimpleStringSchema(), properties));
        return stream;
    }

    public static void Builders(StreamExecutionEnvironment env)
    {
        KafkaSource<string> source = KafkaSource.Builder<string>()
            .SetBootstrapServers("localhost:9092")
            .SetTopics("input")
            .SetGroupId("my-group")
            .SetStartingOffsets(OffsetsInitializer.CommittedOffsets(OffsetResetStrategy.Earliest))
            .SetValueOnlyDeserializer(new SimpleStringSchema())
            .Build();
        KafkaSink<string> sink = KafkaSink.Builder<string>()
            .SetBootstrapServers("localhost:9092")
            .SetRecordSerializer(KafkaRecordSerializationSchema.Builder<string>()
                .SetTopic("output")
                .SetValueSerializationSchema(new SimpleStringSchema())
                .Build())
            .SetDeliveryGuarantee(DeliveryGuarantee.ExactlyOnce)
            .SetTransactionalIdPrefix("my-job")
            .Build();
        env.FromSource(source, WatermarkStrategy<string>.NoWatermarks(), "Kafka Source").SinkTo(sink);
    }

    public static void StartPositions(StreamExecutionEnvironment env, Dictionary<string, string> properties)
    {
        var myConsumer = new KafkaConsumer<string>("topic", new SimpleStringSchema(), properties);
        myConsumer.SetStartFromEarliest();      // start from the earliest record possible
        myConsumer.SetStartFromLatest();        // start from the latest record
        myConsumer.SetStartFromTimestamp(1_700_000_000_000); // epoch milliseconds
        myConsumer.SetStartFromGroupOffsets();  // the default behaviour

        DataStream<string> stream = env.AddSource(myConsumer);
    }

    public static void SpecificOffsets(KafkaConsumer<string> myConsumer)
    {
        var specificStartOffsets = new Dictionary<KafkaTopicPartition, long>
        {
            [new KafkaTopicPartition("myTopic", 0)] = 23L,
            [new KafkaTopicPartition("myTopic", 1)] = 31L,
            [new KafkaTopicPartition("myTopic", 2)] = 43L,
        };

        myConsumer.SetStartFromSpecificOffsets(specificStartOffsets);
    }

    public static void TopicDiscovery(StreamExecutionEnvironment env)
    {
        var properties = new Dictionary<string, string>
        {
            ["bootstrap.servers"] = "localhost:9092",
            ["group.id"] = "test",
            [KafkaProperties.PartitionDiscoveryIntervalMillis] = "10000", // "flink.partition-discovery.interval-millis"
        };

        var myConsumer = new KafkaConsumer<string>(
            new Regex("test-topic-[0-9]"),
            new SimpleStringSchema(),
            properties);

        DataStream<string> stream = env.AddSource(myConsumer);
    }

    public static void Checkpointing()
    {
        var env = StreamExecutionEnvironment.GetExecutionEnvironment();
        env.EnableCheckpointing(5000); // checkpoint every 5000 msecs
        env.CheckpointConfig.CheckpointDirectory = "/var/lib/rivulet/checkpoints";
    }

    public static void CommitOffsets(KafkaConsumer<string> myConsumer)
    {
        myConsumer.SetCommitOffsetsOnCheckpoints(false); // default true: commit on checkpoint completion
    }

    public static void Producer(DataStream<string> stream)
    {
        var myProducer = new KafkaProducer<string>(
            "localhost:9092",            // broker list
            "my-topic",                  // target topic
            new SimpleStringSchema());   // serialization schema

        // attach the element's timestamp to the record written to Kafka
        myProducer.SetWriteTimestampToKafka(true);

        stream.AddSink(myProducer);
    }

    public static void AtLeastOnce(DataStream<string> stream, Dictionary<string, string> properties)
    {
        var myProducer = new KafkaProducer<string>("my-topic", new SimpleStringSchema(), properties, Semantic.AtLeastOnce);
        myProducer.SetLogFailuresOnly(false);   // the default: a failed write fails the job
        myProducer.SetFlushOnCheckpoint(true);  // the default: a checkpoint waits for every acknowledgement
        stream.AddSink(myProducer);
    }

    public static void ExactlyOnce(DataStream<string> stream)
    {
        var properties = new Dictionary<string, string>
        {
            ["bootstrap.servers"] = "localhost:9092",
            // at most the brokers' transaction.max.timeout.ms (15 minutes by default);
            // at least the longest downtime the job must survive
            ["transaction.timeout.ms"] = "900000",
        };
        var myProducer = new KafkaProducer<string>("my-topic", new SimpleStringSchema(), properties, Semantic.ExactlyOnce);
        stream.AddSink(myProducer);
    }

    public static void Partitioners(DataStream<string> stream, Dictionary<string, string> properties)
    {
        // default: FixedPartitioner — sink subtask i writes to partition i % partitions
        var fixedPartitions = new KafkaProducer<string>("my-topic", new SimpleStringSchema(), properties);

        // a custom partitioner
        var custom = new KafkaProducer<string>("my-topic", new SimpleStringSchema(), properties, new FirstLetterPartitioner());

        // null: Kafka's own partitioning by record key (murmur2, as the Java client)
        var byKey = new KafkaProducer<string>("my-topic", new FirstWordAsKeySchema(), properties, customPartitioner: null, Semantic.AtLeastOnce);
    }

    public static void Deserialization(StreamExecutionEnvironment env, Dictionary<string, string> properties)
    {
        // the whole record (key, value, topic, partition, offset, timestamp, headers)
        DataStream<string> described = env.AddSource(new KafkaConsumer<string>("topic", new DescribingSchema(), properties));

        // JSON: {"key": …, "value": …, "metadata": {"topic", "partition", "offset", "timestamp"}}
        DataStream<JsonObject> json = env.AddSource(new KafkaConsumer<JsonObject>("topic", new JsonKeyValueDeserializationSchema(includeMetadata: true), properties));
    }
}

public sealed class FirstLetterPartitioner : KafkaPartitioner<string>
{
    public override int Partition(string record, byte[]? key, byte[]? value, string targetTopic, int[] partitions) =>
        partitions[record.Length == 0 ? 0 : record[0] % partitions.Length];
}

public sealed class FirstWordAsKeySchema : IKafkaSerializationSchema<string>
{
    public KafkaProducerRecord Serialize(string element, long? timestampMs) =>
        new(Encoding.UTF8.GetBytes(element.Split(' ')[0]), Encoding.UTF8.GetBytes(element));
}

public sealed class DescribingSchema : IKafkaDeserializationSchema<string>
{
    public string? Deserialize(KafkaRecord record) =>
        $"{record.Topic}/{record.Partition}@{record.Offset}: {Encoding.UTF8.GetString(record.Value ?? [])}";
}

internal static class EventTimeSnippets
{
    public static DataStream<string> SourceWatermarks(StreamExecutionEnvironment env, Dictionary<string, string> properties)
    {
        var myConsumer = new KafkaConsumer<string>("topic", new SimpleStringSchema(), properties)
            .AssignTimestampsAndWatermarks(WatermarkStrategy<string>
                .ForBoundedOutOfOrderness(TimeSpan.FromSeconds(20))
                .WithIdleness(TimeSpan.FromMinutes(1)));
        DataStream<string> stream = env.AddSource(myConsumer);
        return stream;
    }

    public static void CustomEmitter(KafkaConsumer<string> myConsumer)
    {
        myConsumer.AssignTimestampsAndWatermarks(WatermarkStrategy<string>
            .ForGenerator(() => new CustomWatermarkEmitter())
            .WithTimestampAssigner(new CustomWatermarkEmitter()));
    }

    public static DataStream<string> Windows(DataStream<string> words)
    {
        var lateTag = new OutputTag<string>("late-words");
        DataStream<long> counts = words
            .KeyBy(word => word)
            .Window(TumblingEventTimeWindows.Of(TimeSpan.FromMinutes(1)))
            .AllowedLateness(TimeSpan.FromSeconds(30))
            .SideOutputLateData(lateTag)
            .Aggregate(new CountWords());
        DataStream<string> lateWords = counts.GetSideOutput(lateTag);
        return lateWords;
    }
}

public sealed class CustomWatermarkEmitter : IWatermarkGenerator<string>, ITimestampAssigner<string>
{
    private long _maxTimestamp = long.MinValue;

    // Flink's extractTimestamp(element, previousElementTimestamp): here, keep Kafka's timestamp.
    public long ExtractTimestamp(string element, long recordTimestamp) => recordTimestamp;

    public void OnEvent(string element, long eventTimestamp, IWatermarkOutput output) =>
        _maxTimestamp = Math.Max(_maxTimestamp, eventTimestamp);

    // Flink's getCurrentWatermark(), called periodically.
    public void OnPeriodicEmit(IWatermarkOutput output)
    {
        if (_maxTimestamp != long.MinValue)
        {
            output.EmitWatermark(_maxTimestamp - 1);
        }
    }
}

public sealed class CountWords : IAggregateFunction<string, long, long>
{
    public long CreateAccumulator() => 0;

    public long Add(string value, long accumulator) => accumulator + 1;

    public long GetResult(long accumulator) => accumulator;

    public long Merge(long a, long b) => a + b;
}

public sealed class SessionTimeout : KeyedProcessFunction<string, string, string>
{
    public override void ProcessElement(string value, Context context, ICollector<string> output) =>
        context.TimerService.RegisterEventTimeTimer(context.Timestamp!.Value + 30_000);

    public override void OnTimer(long timestamp, OnTimerContext context, ICollector<string> output) =>
        output.Collect($"{context.CurrentKey} timed out at {timestamp}");
}

public sealed record Order(string Id, string CustomerId, decimal Amount);

public sealed record Customer(string Id, string Name);

internal static class TwoInputSnippets
{
    public static DataStream<string> Enrich(DataStream<Order> orders, DataStream<Customer> customers)
    {
        DataStream<string> enriched = orders
            .KeyBy(order => order.CustomerId)
            .Connect(customers.KeyBy(customer => customer.Id))
            .Process(new EnrichOrders());
        return enriched;
    }
}

public sealed class EnrichOrders : KeyedCoProcessFunction<string, Order, Customer, string>, IRichFunction
{
    private IValueState<Customer?> _customer = null!;

    public void Open(IRuntimeContext context) => _customer = context.GetState(new ValueStateDescriptor<Customer?>("customer"));

    public void Close()
    {
    }

    public override void ProcessElement1(Order order, Context context, ICollector<string> output)
    {
        if (_customer.Value is { } customer)
        {
            output.Collect($"{order.Id}: {order.Amount} for {customer.Name}");
        }
    }

    public override void ProcessElement2(Customer customer, Context context, ICollector<string> output) => _customer.Value = customer;
}

public sealed record Payment(string Account, int Amount);

internal static class BroadcastSnippets
{
    public static DataStream<string> Alerts(DataStream<Payment> payments, DataStream<(string Name, int Value)> ruleUpdates)
    {
        var rules = new MapStateDescriptor<string, int>("rules");
        BroadcastStream<(string Name, int Value)> ruleStream = ruleUpdates.Broadcast(rules);
        DataStream<string> alerts = payments
            .KeyBy(payment => payment.Account)
            .Connect(ruleStream)
            .Process(new LargePayments(rules));
        return alerts;
    }
}

public sealed class LargePayments(MapStateDescriptor<string, int> rules)
    : KeyedBroadcastProcessFunction<string, Payment, (string Name, int Value), string>
{
    public override void ProcessElement(Payment payment, ReadOnlyContext context, ICollector<string> output)
    {
        if (context.GetBroadcastState(rules).TryGet("limit", out var limit) && payment.Amount > limit)
        {
            output.Collect($"{context.CurrentKey}: {payment.Amount} over {limit}");
        }
    }

    public override void ProcessBroadcastElement((string Name, int Value) rule, Context context, ICollector<string> output) =>
        context.GetBroadcastState(rules).Put(rule.Name, rule.Value);
}

public sealed record Shipment(string OrderId, string Carrier);

public sealed record Click(string AdId, string User);

public sealed record Impression(string AdId, string Slot);

public sealed class OrderShipped : ProcessJoinFunction<Order, Shipment, string>
{
    public override void ProcessElement(Order order, Shipment shipment, Context context, ICollector<string> output) =>
        output.Collect($"{order.Id} shipped by {shipment.Carrier} {context.RightTimestamp - context.LeftTimestamp} ms after ordering");
}

internal static class JoinSnippets
{
    public static DataStream<string> Shipped(DataStream<Order> orders, DataStream<Shipment> shipments)
    {
        DataStream<string> shipped = orders.KeyBy(order => order.Id)
            .IntervalJoin(shipments.KeyBy(shipment => shipment.OrderId))
            .Between(TimeSpan.Zero, TimeSpan.FromHours(1))
            .Process(new OrderShipped());
        return shipped;
    }

    public static DataStream<string> Pairs(DataStream<Click> clicks, DataStream<Impression> impressions)
    {
        DataStream<string> pairs = clicks.Join(impressions)
            .Where(click => click.AdId).EqualTo(impression => impression.AdId)
            .Window(TumblingEventTimeWindows.Of(TimeSpan.FromMinutes(1)))
            .Apply((click, impression) => $"{click.AdId}: {click.User} saw {impression.Slot}");
        return pairs;
    }
}

internal static class AsyncSnippets
{
    public static DataStream<string> Names(DataStream<string> customerIds, HttpClient http)
    {
        DataStream<string> withNames = AsyncDataStream.OrderedWait(
            customerIds, new CustomerNameLookup(http), TimeSpan.FromSeconds(5), capacity: 100);
        return withNames;
    }
}

public sealed class CustomerNameLookup(HttpClient http) : IAsyncFunction<string, string>
{
    public async Task<IReadOnlyCollection<string>> InvokeAsync(string customerId, CancellationToken cancellationToken) =>
        [await http.GetStringAsync($"/customers/{customerId}/name", cancellationToken)];

    public IReadOnlyCollection<string> Timeout(string customerId) => [$"{customerId} (name unknown)"];
}

internal static class CountWindowSnippets
{
    public static void Windows(DataStream<string> words)
    {
        DataStream<long> everyHundred = words.KeyBy(word => word)
            .CountWindow(100)
            .Aggregate(new CountWords());
        DataStream<long> earlyCounts = words.KeyBy(word => word)
            .Window(TumblingEventTimeWindows.Of(TimeSpan.FromHours(1)))
            .Trigger(ContinuousEventTimeTrigger.Of(TimeSpan.FromMinutes(1)))
            .Aggregate(new CountWords());
        DataStream<string> lastTen = words.KeyBy(word => word)
            .Window(GlobalWindows.Create())
            .Trigger(PurgingTrigger.Of(CountTrigger.Of(50)))
            .Evictor(CountEvictor.Of(10))
            .Process(new LastWords());
        _ = (everyHundred, earlyCounts, lastTen);
    }
}

public sealed class LastWords : ProcessWindowFunction<string, string, string>
{
    public override void Process(string key, Context context, IEnumerable<string> elements, ICollector<string> output) =>
        output.Collect($"{key}: {string.Join(' ', elements)}");
}

internal static class ClusterSnippets
{
    public static async Task Run(string[] args)
    {
        var env = StreamExecutionEnvironment.GetExecutionEnvironment();
        env.EnableCheckpointing(TimeSpan.FromSeconds(1));
        env.CheckpointConfig.CheckpointDirectory = "/mnt/shared/checkpoints"; // every process reads and writes here
        env.SetResumeFromLatestCheckpoint();
        // … sources, operators, sinks …
        await env.ExecuteOnClusterAsync("orders", ClusterSettings.FromCommandLine(args));
    }
}

internal static class TtlSnippets
{
    public static ValueStateDescriptor<string?> LastOrder()
    {
        var lastOrder = new ValueStateDescriptor<string?>("last-order");
        lastOrder.EnableTimeToLive(StateTtlConfig.NewBuilder(TimeSpan.FromDays(30))
            .SetUpdateType(StateTtlUpdateType.OnCreateAndWrite)
            .SetStateVisibility(StateVisibility.NeverReturnExpired)
            .CleanupFullSnapshot()
            .CleanupIncrementally(10, runCleanupForEveryRecord: false)
            .Build());
        return lastOrder;
    }
}
