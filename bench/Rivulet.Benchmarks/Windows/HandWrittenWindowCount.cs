using System.Diagnostics;
using Rivulet.Core.Time.Windows;

namespace Rivulet.Benchmarks.Windows;

/// <summary>
/// The windows benchmark's baseline: the same work as the job in one plain loop on one thread —
/// a count per key in a dictionary per open window, a watermark trailing the highest timestamp
/// by the allowed out-of-orderness, and every window whose end the watermark passed emitted and
/// dropped — with no engine, no state backend and no timers.
/// </summary>
internal static class HandWrittenWindowCount
{
    // How often the loop advances its watermark. The job does so every 200 ms of processing time
    // (the default auto-watermark interval), which is far more records than this.
    private const int WatermarkEvery = 4096;

    public static (BenchmarkFigure Figure, WindowWorkload.Outcome Outcome) Run(WindowWorkload workload)
    {
        var size = (long)workload.WindowSize.TotalMilliseconds;
        var clock = Stopwatch.StartNew();
        var open = new Dictionary<long, Dictionary<int, long>>();
        var firstOpen = long.MaxValue;
        var maxTimestamp = long.MinValue;
        long windows = 0;
        long events = 0;
        long checksum = 0;

        void FireUpTo(long watermark)
        {
            // Windows are [start, start + size); one fires once the watermark reaches its last millisecond.
            while (firstOpen != long.MaxValue && firstOpen + size - 1 <= watermark)
            {
                if (open.Remove(firstOpen, out var counts))
                {
                    foreach (var (key, count) in counts)
                    {
                        var output = new WindowCount(key, firstOpen + size, count);

                        // "Emit" to a discarding sink; the checksum keeps the JIT from dropping the work.
                        checksum ^= output.Count + output.Key;
                        windows++;
                        events += output.Count;
                    }
                }

                firstOpen = open.Count == 0 ? long.MaxValue : firstOpen + size;
            }
        }

        for (long sequence = 0; sequence < workload.Records; sequence++)
        {
            var e = TimedEvent.From(sequence, workload.Keys, workload.PerSecond, workload.MaxLatenessMs);
            var start = TimeWindow.WindowStart(e.Timestamp, 0, size);
            if (!open.TryGetValue(start, out var counts))
            {
                counts = new Dictionary<int, long>();
                open[start] = counts;
                firstOpen = Math.Min(firstOpen, start);
            }

            counts[e.Key] = counts.GetValueOrDefault(e.Key) + 1;
            maxTimestamp = Math.Max(maxTimestamp, e.Timestamp);
            if (sequence % WatermarkEvery == WatermarkEvery - 1)
            {
                FireUpTo(maxTimestamp - workload.MaxLatenessMs - 1);
            }
        }

        // The end of the input: the job's source emits the maximum watermark, firing everything.
        FireUpTo(long.MaxValue);
        clock.Stop();
        if (events != workload.Records || open.Count != 0)
        {
            throw new InvalidOperationException($"the hand-written loop counted {events} of {workload.Records} events, {open.Count} windows left open (checksum {checksum})");
        }

        return (new BenchmarkFigure("hand-written single-threaded loop", workload.Records, clock.Elapsed, $"{windows:N0} windows fired"), new WindowWorkload.Outcome(windows, events));
    }
}
