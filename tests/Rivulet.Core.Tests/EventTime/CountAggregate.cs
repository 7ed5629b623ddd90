using Rivulet.Core.Api.Functions;

namespace Rivulet.Core.Tests.EventTime;

/// <summary>Counts the elements of a window.</summary>
internal sealed class CountAggregate<T> : IAggregateFunction<T, long, long>
{
    public long CreateAccumulator() => 0;

    public long Add(T value, long accumulator) => accumulator + 1;

    public long GetResult(long accumulator) => accumulator;

    public long Merge(long a, long b) => a + b;
}

/// <summary>Emits (key, window start, window end, result) for each fired window.</summary>
internal sealed class WindowLabel<TIn, TKey> : ProcessWindowFunction<TIn, (TKey Key, long Start, long End, TIn Result), TKey>
{
    public override void Process(TKey key, Context context, IEnumerable<TIn> elements, ICollector<(TKey Key, long Start, long End, TIn Result)> output)
    {
        foreach (var element in elements)
        {
            output.Collect((key, context.Window.Start, context.Window.End, element));
        }
    }
}
