using System.Diagnostics;
using Rivulet.Core.Api;
using Rivulet.Core.Recovery;

namespace Rivulet.Benchmarks.Engine;

/// <summary>
/// The engine benchmark's job: generator → Map → KeyBy → running sum in keyed state → discarding
/// sink, at a given parallelism, with or without periodic checkpoints.
/// </summary>
internal static class KeyedSumJob
{
    public static async Task<BenchmarkFigure> RunAsync(long records, int keys, int parallelism, TimeSpan? checkpointInterval, CancellationToken cancellationToken)
    {
        // A benchmark run must not restart quietly and count records twice: any failure ends it.
        var env = StreamExecutionEnvironment.GetExecutionEnvironment()
            .SetParallelism(parallelism)
            .SetRestartStrategy(RestartStrategy.None());
        DirectoryInfo? checkpoints = null;
        if (checkpointInterval is { } interval)
        {
            checkpoints = Directory.CreateTempSubdirectory("rivulet-bench-engine-");
            env.EnableCheckpointing(interval);
            env.CheckpointConfig.CheckpointDirectory = checkpoints.FullName;
        }

        var tally = new CountingDiscardSink<KeyedSum>.Tally();
        env.AddSource(new SequenceGenerator(records), "Generator")
            .Map(sequence => Reading.From(sequence, keys))
            .KeyBy(reading => reading.Key)
            .Process(new RunningSum())
            .Name("Running sum")
            .AddSink(new CountingDiscardSink<KeyedSum>(tally), "Discard");

        try
        {
            var clock = Stopwatch.StartNew();
            var job = await env.ExecuteAsync("bench-engine", cancellationToken);
            clock.Stop();
            cancellationToken.ThrowIfCancellationRequested();
            if (tally.Received != records)
            {
                throw new InvalidOperationException($"the job's sink received {tally.Received} of {records} records");
            }

            var name = $"rivulet p={parallelism}, " + (checkpointInterval is null ? "no checkpoints" : $"checkpoints every {checkpointInterval.Value.TotalSeconds:0.#} s");
            var note = (checkpointInterval is null ? string.Empty : $"{job.Metrics.CheckpointsCompleted} checkpoints, ")
                + $"keyed channel full {job.Metrics.Edges.Sum(e => e.TimesProducerBlocked)}x";
            return new BenchmarkFigure(name, records, clock.Elapsed, note);
        }
        finally
        {
            checkpoints?.Delete(recursive: true);
        }
    }
}
