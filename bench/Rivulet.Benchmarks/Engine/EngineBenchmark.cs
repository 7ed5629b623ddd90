using System.Globalization;

namespace Rivulet.Benchmarks.Engine;

/// <summary>
/// <c>rivulet bench engine</c> (issue 3): the keyed pipeline at parallelism 1 and 2, with
/// checkpoints off and every second, next to a hand-written loop doing the same work.
/// </summary>
internal sealed class EngineBenchmark : IBenchmark
{
    private static readonly TimeSpan CheckpointInterval = TimeSpan.FromSeconds(1);

    public string Name => "engine";

    public string Description => "generator -> Map -> KeyBy -> keyed running sum -> discard, p=1/2, checkpoints off/1 s, vs a hand-written loop";

    public IReadOnlyList<BenchmarkOption> Options { get; } =
    [
        new("records", 60_000_000, "records per run"),
        new("keys", 10_000, "distinct keys"),
        new("rounds", 5, "interleaved rounds; throughputs are each configuration's best run, checkpoint costs the median of the rounds' side-by-side runs"),
    ];

    public async Task RunAsync(BenchmarkArguments arguments, TextWriter output, CancellationToken cancellationToken)
    {
        var records = arguments["records"];
        var keys = checked((int)arguments["keys"]);
        var rounds = checked((int)arguments["rounds"]);
        output.WriteLine($"engine benchmark: {records:N0} records, {keys:N0} keys in pseudo-random order, {Environment.ProcessorCount} cores; {rounds} rounds alternating all configurations, best run of each counts");

        output.WriteLine("the job at p=1 runs as two subtask threads (generator + map | keyed sum + sink) joined by a keyed channel; the loop runs on one thread; the figures are wall-clock from job start to finish");

        // Warm-up: compile the hot paths (tiered JIT) before anything is measured.
        var warmup = Math.Min(records, 2_000_000);
        HandWrittenKeyedSum.Run(warmup, keys);
        await KeyedSumJob.RunAsync(warmup, keys, 1, null, cancellationToken);
        await KeyedSumJob.RunAsync(warmup, keys, 1, CheckpointInterval, cancellationToken);

        var baseline = new Contender("baseline", _ => Task.FromResult(HandWrittenKeyedSum.Run(records, keys)));
        var p1 = new Contender("p1", ct => KeyedSumJob.RunAsync(records, keys, 1, null, ct));
        var p1Checkpointed = new Contender("p1-checkpoints", ct => KeyedSumJob.RunAsync(records, keys, 1, CheckpointInterval, ct));
        var p2 = new Contender("p2", ct => KeyedSumJob.RunAsync(records, keys, 2, null, ct));
        var p2Checkpointed = new Contender("p2-checkpoints", ct => KeyedSumJob.RunAsync(records, keys, 2, CheckpointInterval, ct));
        var results = await new InterleavedRounds(rounds, output).RunAsync([baseline, p1, p1Checkpointed, p2, p2Checkpointed], cancellationToken);

        var throughput = results.BestRecordsPerSecond("p1");
        var baselineThroughput = results.BestRecordsPerSecond("baseline");
        var p1Cost = results.CostPerRound("p1-checkpoints", "p1");
        var p2Cost = results.CostPerRound("p2-checkpoints", "p2");
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"checkpoint cost, 1 - (with / without) of the side-by-side runs of each round: p=1 {string.Join(" ", p1Cost.PerRound.Select(c => c.ToString("F2", CultureInfo.InvariantCulture)))} (median {p1Cost.Median:F2}); p=2 {string.Join(" ", p2Cost.PerRound.Select(c => c.ToString("F2", CultureInfo.InvariantCulture)))} (median {p2Cost.Median:F2})"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"p=2: {results.BestRecordsPerSecond("p2"):N0} records/s without checkpoints, {results.BestRecordsPerSecond("p2-checkpoints"):N0} with"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"RESULT name=engine throughput={BenchmarkFigure.Whole(throughput)} baseline={BenchmarkFigure.Whole(baselineThroughput)} ratio={BenchmarkFigure.Ratio(throughput, baselineThroughput)} checkpoint_cost={p1Cost.Median:F2}"));
    }
}
