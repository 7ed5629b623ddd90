using System.Globalization;
using Confluent.Kafka;
using Rivulet.Connectors.Kafka.Sink;
using Rivulet.Testing.Kafka;

namespace Rivulet.Benchmarks.Kafka;

/// <summary>
/// <c>rivulet bench sink</c> (issue 6): KafkaProducer at parallelism 1 with each semantic (1 s
/// checkpoints), next to a plain idempotent acks=all producer loop writing the same records to
/// the same partition. Every run writes to a fresh test broker, and only records the broker
/// holds afterwards count: the end offset (NONE, AT_LEAST_ONCE, baseline) or what a
/// read_committed reader sees (EXACTLY_ONCE) must equal the records written.
/// </summary>
internal sealed class SinkBenchmark : IBenchmark
{
    private const int Partitions = 4;
    private const string Topic = "bench-sink";

    public string Name => "sink";

    public string Description => "KafkaProducer p=1 with NONE / AT_LEAST_ONCE / EXACTLY_ONCE (1 s checkpoints), vs a plain idempotent acks=all producer loop";

    public IReadOnlyList<BenchmarkOption> Options { get; } =
    [
        new("records", 1_000_000, "records written by every run"),
        new("value-bytes", 100, "bytes per record value"),
        new("rounds", 3, "interleaved rounds; each writer's best run counts"),
    ];

    public async Task RunAsync(BenchmarkArguments arguments, TextWriter output, CancellationToken cancellationToken)
    {
        var records = arguments["records"];
        var value = BenchmarkData.Value(checked((int)arguments["value-bytes"]));
        var rounds = checked((int)arguments["rounds"]);
        output.WriteLine($"sink benchmark: {records:N0} records of {value.Length} bytes per run, each run on a fresh in-process test broker "
            + $"(topic of {Partitions} partitions; the sink's fixed partitioner and the baseline both write partition 0); {rounds} rounds alternating all writers, "
            + "best run of each counts; a run counts only if the broker holds exactly its records afterwards");

        // Warm-up: JIT, client libraries, the broker's produce and transaction paths.
        var warmup = Math.Min(records, 100_000);
        await BaselineAsync(warmup, value);
        foreach (var semantic in new[] { Semantic.None, Semantic.AtLeastOnce, Semantic.ExactlyOnce })
        {
            await SinkAsync(semantic, warmup, value, cancellationToken);
        }

        var results = await new InterleavedRounds(rounds, output).RunAsync(
        [
            new Contender("baseline", _ => BaselineAsync(records, value)),
            new Contender("none", ct => SinkAsync(Semantic.None, records, value, ct)),
            new Contender("at-least-once", ct => SinkAsync(Semantic.AtLeastOnce, records, value, ct)),
            new Contender("exactly-once", ct => SinkAsync(Semantic.ExactlyOnce, records, value, ct)),
        ], cancellationToken);

        var baseline = results.BestRecordsPerSecond("baseline");
        var atLeastOnce = results.BestRecordsPerSecond("at-least-once");
        var none = results.BestRecordsPerSecond("none");
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"NONE: {none:N0} records/s (ratio {BenchmarkFigure.Ratio(none, baseline)})"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"RESULT name=sink throughput={BenchmarkFigure.Whole(atLeastOnce)} baseline={BenchmarkFigure.Whole(baseline)} ratio={BenchmarkFigure.Ratio(atLeastOnce, baseline)} exactly_once_ratio={BenchmarkFigure.Ratio(results.BestRecordsPerSecond("exactly-once"), baseline)}"));
    }

    private static Task<BenchmarkFigure> BaselineAsync(long records, byte[] value)
    {
        using var broker = StartBroker();
        var figure = PlainProducerBaseline.Run(broker.BootstrapServers, new TopicPartition(Topic, 0), records, value);
        CheckEndOffsets(broker.BootstrapServers, records, figure.Name);
        return Task.FromResult(figure);
    }

    private static async Task<BenchmarkFigure> SinkAsync(Semantic semantic, long records, byte[] value, CancellationToken cancellationToken)
    {
        using var broker = StartBroker();
        var (figure, _) = await RivuletSinkRun.RunAsync(broker.BootstrapServers, Topic, semantic, records, value, cancellationToken);
        if (semantic == Semantic.ExactlyOnce)
        {
            var committed = TopicCheck.CommittedRecords(broker.BootstrapServers, Topic, Partitions);
            if (committed != records)
            {
                throw new InvalidOperationException($"{figure.Name}: a read_committed reader sees {committed} records, not {records}");
            }
        }
        else
        {
            CheckEndOffsets(broker.BootstrapServers, records, figure.Name);
        }

        return figure;
    }

    private static KafkaTestCluster StartBroker()
    {
        var broker = KafkaTestCluster.Start(1);
        broker.CreateTopic(Topic, Partitions);
        return broker;
    }

    private static void CheckEndOffsets(string bootstrap, long records, string writer)
    {
        var ends = TopicCheck.EndOffsets(bootstrap, Topic, Partitions);
        if (ends[0] != records || ends.Skip(1).Any(e => e != 0))
        {
            throw new InvalidOperationException($"{writer}: the broker holds [{string.Join(", ", ends)}] records per partition, not {records} in partition 0");
        }
    }
}
