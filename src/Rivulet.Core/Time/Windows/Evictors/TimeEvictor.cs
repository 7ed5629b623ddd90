namespace Rivulet.Core.Time.Windows.Evictors;

/// <summary>
/// Keeps the elements of the last <see cref="WindowSize"/> of event time, counted back from the
/// window's newest element timestamp (Flink's <c>TimeEvictor</c>). Elements without timestamps are
/// left alone.
/// </summary>
public sealed class TimeEvictor : Evictor
{
    private readonly long _windowSize;
    private readonly bool _evictAfter;

    private TimeEvictor(long windowSize, bool evictAfter)
    {
        _windowSize = windowSize;
        _evictAfter = evictAfter;
    }

    /// <summary>How much event time, back from the newest element, stays.</summary>
    public TimeSpan WindowSize => TimeSpan.FromMilliseconds(_windowSize);

    /// <summary>Keeps the elements within <paramref name="windowSize"/> of the newest one (Flink's <c>TimeEvictor.of</c>).</summary>
    /// <param name="windowSize">How much event time stays (whole milliseconds, zero or more).</param>
    /// <param name="doEvictAfter">Evict after the window function ran instead of before.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="windowSize"/> is negative.</exception>
    public static TimeEvictor Of(TimeSpan windowSize, bool doEvictAfter = false) =>
        new(WindowAssigner.Milliseconds(windowSize, "windowSize", allowZero: true), doEvictAfter);

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
    public override string ToString() => $"TimeEvictor({WindowSize})";

    private void Evict<T>(IList<TimestampedValue<T>> elements)
    {
        ArgumentNullException.ThrowIfNull(elements);
        var newest = long.MinValue;
        foreach (var element in elements)
        {
            if (element.HasTimestamp)
            {
                newest = Math.Max(newest, element.Timestamp);
            }
        }

        if (newest == long.MinValue)
        {
            return;
        }

        var cutoff = newest - _windowSize;
        RemoveWhere(elements, e => e.HasTimestamp && e.Timestamp <= cutoff);
    }
}
