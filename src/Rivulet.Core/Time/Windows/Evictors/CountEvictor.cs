namespace Rivulet.Core.Time.Windows.Evictors;

/// <summary>Keeps at most <see cref="MaxCount"/> elements in a window, the latest ones (Flink's <c>CountEvictor</c>).</summary>
public sealed class CountEvictor : Evictor
{
    private readonly bool _evictAfter;

    private CountEvictor(long maxCount, bool evictAfter)
    {
        MaxCount = maxCount;
        _evictAfter = evictAfter;
    }

    /// <summary>How many elements stay.</summary>
    public long MaxCount { get; }

    /// <summary>Keeps the last <paramref name="maxCount"/> elements (Flink's <c>CountEvictor.of</c>).</summary>
    /// <param name="maxCount">How many elements stay.</param>
    /// <param name="doEvictAfter">Evict after the window function ran instead of before.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxCount"/> is less than 1.</exception>
    public static CountEvictor Of(long maxCount, bool doEvictAfter = false)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxCount, 1);
        return new CountEvictor(maxCount, doEvictAfter);
    }

    /// <inheritdoc />
    public override void EvictBefore<T>(IList<TimestampedValue<T>> elements, TimeWindow window, EvictorContext context)
    {
        if (!_evictAfter)
        {
            Evict(elements);
        }
    }

    /// <inheritdoc />
    public override void EvictAfter<T>(IList<TimestampedValue<T>> elements, TimeWindow window, EvictorContext context)
    {
        if (_evictAfter)
        {
            Evict(elements);
        }
    }

    /// <inheritdoc />
    public override string ToString() => $"CountEvictor({MaxCount})";

    private void Evict<T>(IList<TimestampedValue<T>> elements)
    {
        ArgumentNullException.ThrowIfNull(elements);
        if (elements.Count > MaxCount)
        {
            RemoveFirst(elements, (int)(elements.Count - MaxCount));
        }
    }
}
