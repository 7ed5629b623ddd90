using System.Globalization;

namespace Rivulet.Benchmarks.Transport;

/// <summary>
/// <c>rivulet bench transport</c> (issue 13): how records cross between TaskManagers, chosen by
/// measurement. The same record batches — the keyed channel's, encoded by the channel codec — go
/// from a producer to a consumer over a loopback TCP connection, once through Rivulet's data plane
/// (the cluster's own sender and data server) and once through Akka.Streams TCP, in interleaved
/// rounds of the same run; each receiver decodes every batch and the payload is verified before a
/// time counts.
/// </summary>
internal sealed class TransportBenchmark : IBenchmark
{
    public string Name => "transport";

    public string Description => "record batches over one loopback TCP connection: Rivulet's data plane vs Akka.Streams TCP";

    public IReadOnlyList<BenchmarkOption> Options { get; } =
    [
        new("records", 60_000_000, "records per run (in batches of 512)"),
        new("keys", 1_000, "distinct keys"),
        new("rounds", 3, "interleaved rounds; each contender's best run counts"),
    ];

    public async Task RunAsync(BenchmarkArguments arguments, TextWriter output, CancellationToken cancellationToken)
    {
        var payload = new TransportPayload(arguments["records"], checked((int)arguments["keys"]));
        var rounds = checked((int)arguments["rounds"]);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"transport benchmark: {payload.Records:N0} records in batches of {TransportPayload.BatchSize}, {Environment.ProcessorCount} cores; {rounds} rounds alternating, best run of each counts"));
        var dataPlane = new Contender("data plane", ct => Task.Run(() => DataPlaneTransport.Run(payload, ct), ct));
        var akka = new Contender("akka streams", ct => AkkaStreamsTransport.RunAsync(payload, ct));
        var results = await new InterleavedRounds(rounds, output).RunAsync([dataPlane, akka], cancellationToken);

        var ours = results.Best("data plane");
        var theirs = results.Best("akka streams");
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"RESULT name=transport throughput={BenchmarkFigure.Whole(ours.RecordsPerSecond)} baseline={BenchmarkFigure.Whole(theirs.RecordsPerSecond)} ratio={BenchmarkFigure.Ratio(ours.RecordsPerSecond, theirs.RecordsPerSecond)} " +
            $"cpu_s={ours.ProcessCpu?.TotalSeconds:F2} baseline_cpu_s={theirs.ProcessCpu?.TotalSeconds:F2}"));
    }
}
