using Rivulet.Core.Api.Functions;

namespace Rivulet.Benchmarks.Windows;

/// <summary>Counts a window's events incrementally: the accumulator is one number per key and window.</summary>
internal sealed class CountEvents : IAggregateFunction<TimedEvent, long, long>
{
    public long CreateAccumulator() => 0;

    public long Add(TimedEvent value, long accumulator) => accumulator + 1;

    public long GetResult(long accumulator) => accumulator;

    public long Merge(long a, long b) => a + b;
}
