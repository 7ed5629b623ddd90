using System.Diagnostics;
using Rivulet.Benchmarks.Engine;
using Rivulet.Core.Api;
using Rivulet.Core.Recovery;
using Rivulet.Core.Time;
using Rivulet.Core.Time.Windows;

namespace Rivulet.Benchmarks.Windows;

/// <summary>
/// The windows benchmark's job at parallelism 1: generator → Map to timed events → bounded
/// out-of-orderness watermarks → KeyBy → 1 s tumbling event-time windows counting with an
/// aggregate function → discarding sink.
/// </summary>
internal static class WindowedCountJob
{
    public static async Task<BenchmarkFigure> RunAsync(WindowWorkload workload, WindowWorkload.Outcome expected, CancellationToken cancellationToken)
    {
        // A benchmark run must not restart quietly and count events twice: any failure ends it.
        var env = StreamExecutionEnvironment.GetExecutionEnvironment()
            .SetParallelism(1)
            .SetRestartStrategy(RestartStrategy.None());
        var totals = new WindowCountTally.Totals();
        env.AddSource(new SequenceGenerator(workload.Records), "Generator")
            .Map(sequence => TimedEvent.From(sequence, workload.Keys, workload.PerSecond, workload.MaxLatenessMs))
            .AssignTimestampsAndWatermarks(WatermarkStrategy<TimedEvent>
                .ForBoundedOutOfOrderness(TimeSpan.FromMilliseconds(workload.MaxLatenessMs))
                .WithTimestampAssigner((e, _) => e.Timestamp))
            .KeyBy(e => e.Key)
            .Window(TumblingEventTimeWindows.Of(workload.WindowSize))
            .Aggregate(new CountEvents(), new LabelWithKeyAndWindow())
            .Name("Count per 1 s window")
            .AddSink(new WindowCountTally(totals), "Discard");

        var clock = Stopwatch.StartNew();
        var job = await env.ExecuteAsync("bench-windows", cancellationToken);
        clock.Stop();
        cancellationToken.ThrowIfCancellationRequested();
        var outcome = new WindowWorkload.Outcome(totals.Windows, totals.Events);
        if (outcome != expected || job.Metrics.LateRecordsDropped != 0)
        {
            throw new InvalidOperationException(
                $"the job fired {outcome.Windows} windows counting {outcome.Events} events ({job.Metrics.LateRecordsDropped} dropped as late); the hand-written loop fired {expected.Windows} counting {expected.Events}");
        }

        return new BenchmarkFigure("rivulet p=1, 1 s tumbling event-time windows", workload.Records, clock.Elapsed, $"{outcome.Windows:N0} windows fired");
    }
}
