using System.Diagnostics;

namespace Rivulet.Benchmarks.Engine;

/// <summary>
/// The engine benchmark's baseline: the same work as the job — generate, map, running sum per
/// key in a dictionary, emit the sum — in one plain loop on one thread, with no engine.
/// </summary>
internal static class HandWrittenKeyedSum
{
    public static BenchmarkFigure Run(long records, int keys)
    {
        var clock = Stopwatch.StartNew();
        var sums = new Dictionary<int, long>();
        long emitted = 0;
        long checksum = 0;
        for (long sequence = 0; sequence < records; sequence++)
        {
            var reading = Reading.From(sequence, keys);
            var sum = sums.GetValueOrDefault(reading.Key) + reading.Value;
            sums[reading.Key] = sum;
            var output = new KeyedSum(reading.Key, sum);

            // "Emit" to a discarding sink; the checksum keeps the JIT from dropping the work.
            checksum ^= output.Sum;
            emitted++;
        }

        clock.Stop();
        if (emitted != records || sums.Count != Math.Min(keys, records))
        {
            throw new InvalidOperationException($"the hand-written loop emitted {emitted} of {records} records over {sums.Count} keys (checksum {checksum})");
        }

        return new BenchmarkFigure("hand-written single-threaded loop", records, clock.Elapsed);
    }
}
