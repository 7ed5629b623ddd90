using System.Globalization;
using Rivulet.Connectors.Kafka.Source;
using Rivulet.Testing.Kafka;

namespace Rivulet.Benchmarks.Kafka;

/// <summary>
/// <c>rivulet bench source</c> (issue 5): KafkaConsumer reading a 4-partition topic from the
/// in-process test broker at parallelism 1, next to a plain consumer loop reading the same topic.
/// </summary>
internal sealed class SourceBenchmark : IBenchmark
{
    private const int Partitions = 4;

    public string Name => "source";

    public string Description => "KafkaConsumer p=1 reading a 4-partition topic into a discarding sink, vs a plain Confluent.Kafka consumer loop";

    public IReadOnlyList<BenchmarkOption> Options { get; } =
    [
        new("records", 1_000_000, "records in the topic, read by every run"),
        new("value-bytes", 100, "bytes per record value"),
        new("rounds", 3, "interleaved rounds; each side's best run counts"),
    ];

    public async Task RunAsync(BenchmarkArguments arguments, TextWriter output, CancellationToken cancellationToken)
    {
        var records = arguments["records"];
        var valueBytes = checked((int)arguments["value-bytes"]);
        var rounds = checked((int)arguments["rounds"]);
        using var broker = KafkaTestCluster.Start(1);
        const string topic = "bench-source";
        broker.CreateTopic(topic, Partitions);
        output.WriteLine($"source benchmark: {records:N0} records of {valueBytes} bytes in {Partitions} partitions on the in-process test broker ({broker.BootstrapServers}); "
            + $"{rounds} rounds alternating both readers, best run of each counts; each run is timed from its first record to its last");
        BenchmarkData.Fill(broker.BootstrapServers, topic, Partitions, records, valueBytes);
        output.WriteLine("topic filled");

        // The baseline reads with the consumer settings the source applies by default, so the
        // ratio is the engine's cost, not a difference in client configuration.
        var sourceSettings = KafkaConsumerDefaults.ClientProperties;
        output.WriteLine($"both readers use librdkafka's defaults plus the source's: {string.Join(", ", sourceSettings.Select(p => $"{p.Key}={p.Value}"))}");

        // Warm-up: JIT, client libraries, the broker's fetch path.
        var warmup = Math.Min(records, 100_000);
        PlainConsumerBaseline.Run("warm-up", broker.BootstrapServers, topic, Partitions, warmup, sourceSettings);
        await RivuletSourceRun.RunAsync(broker.BootstrapServers, topic, warmup, cancellationToken);

        var results = await new InterleavedRounds(rounds, output).RunAsync(
        [
            new Contender("baseline", _ => Task.FromResult(PlainConsumerBaseline.Run("plain Confluent.Kafka consumer loop", broker.BootstrapServers, topic, Partitions, records, sourceSettings))),
            new Contender("rivulet", ct => RivuletSourceRun.RunAsync(broker.BootstrapServers, topic, records, ct)),
        ], cancellationToken);

        // For context, once: the same loop on librdkafka's defaults alone (fetch.queue.backoff.ms=1000).
        output.WriteLine($"  {PlainConsumerBaseline.Run("plain loop, librdkafka defaults only (context)", broker.BootstrapServers, topic, Partitions, records, new Dictionary<string, string>())}");

        var throughput = results.BestRecordsPerSecond("rivulet");
        var baseline = results.BestRecordsPerSecond("baseline");
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"RESULT name=source throughput={BenchmarkFigure.Whole(throughput)} baseline={BenchmarkFigure.Whole(baseline)} ratio={BenchmarkFigure.Ratio(throughput, baseline)}"));
    }
}
