using System.Globalization;

namespace Rivulet.Benchmarks.Windows;

/// <summary>
/// <c>rivulet bench windows</c> (issue 4): event-time windows at parallelism 1 — out-of-order
/// events, bounded out-of-orderness watermarks, KeyBy, a count per key in 1 s tumbling windows —
/// next to a hand-written loop doing the same work.
/// </summary>
internal sealed class WindowsBenchmark : IBenchmark
{
    public string Name => "windows";

    public string Description => "generator -> timestamps/watermarks -> KeyBy -> 1 s tumbling event-time window count -> discard, p=1, vs a hand-written loop";

    public IReadOnlyList<BenchmarkOption> Options { get; } =
    [
        new("records", 20_000_000, "records per run"),
        new("keys", 1_000, "distinct keys"),
        new("per-second", 100_000, "events per second of event time (so each 1 s window of a key holds per-second / keys events)"),
        new("out-of-order-ms", 50, "how far (pseudo-random, up to) an event's timestamp lags its place in the stream; also the watermark's bound"),
        new("rounds", 5, "interleaved rounds; each contender's best run counts"),
    ];

    public async Task RunAsync(BenchmarkArguments arguments, TextWriter output, CancellationToken cancellationToken)
    {
        var workload = new WindowWorkload(
            arguments["records"],
            checked((int)arguments["keys"]),
            arguments["per-second"],
            checked((int)arguments["out-of-order-ms"]));
        var rounds = checked((int)arguments["rounds"]);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"windows benchmark: {workload.Records:N0} events, {workload.Keys:N0} keys, {workload.PerSecond:N0} events per event-time second, up to {workload.MaxLatenessMs} ms out of order, {Environment.ProcessorCount} cores; {rounds} rounds alternating, best run of each counts"));

        // The loop's untimed first run gives what every run must produce (and warms up its code);
        // a short job warms up the engine's.
        var (_, expected) = HandWrittenWindowCount.Run(workload);
        var warmup = workload with { Records = Math.Min(workload.Records, 2_000_000) };
        await WindowedCountJob.RunAsync(warmup, HandWrittenWindowCount.Run(warmup).Outcome, cancellationToken);
        output.WriteLine($"expected: {expected.Windows:N0} windows counting {expected.Events:N0} events");

        var baseline = new Contender("baseline", _ => Task.FromResult(HandWrittenWindowCount.Run(workload).Figure));
        var job = new Contender("job", ct => WindowedCountJob.RunAsync(workload, expected, ct));
        var results = await new InterleavedRounds(rounds, output).RunAsync([baseline, job], cancellationToken);

        var throughput = results.BestRecordsPerSecond("job");
        var baselineThroughput = results.BestRecordsPerSecond("baseline");
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"RESULT name=windows throughput={BenchmarkFigure.Whole(throughput)} baseline={BenchmarkFigure.Whole(baselineThroughput)} ratio={BenchmarkFigure.Ratio(throughput, baselineThroughput)}"));
    }
}
