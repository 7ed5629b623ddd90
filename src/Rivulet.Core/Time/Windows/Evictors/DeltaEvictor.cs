namespace Rivulet.Core.Time.Windows.Evictors;

/// <summary>Creates <see cref="DeltaEvictor{T}"/>s.</summary>
public static class DeltaEvictor
{
    /// <summary>
    /// Removes every element whose delta to the window's newest element is
    /// <paramref name="threshold"/> or more (Flink's <c>DeltaEvictor.of</c>).
    /// </summary>
    /// <param name="threshold">The delta from which elements go.</param>
    /// <param name="delta">The distance between an element (first argument) and the newest element (second).</param>
    /// <param name="doEvictAfter">Evict after the window function ran instead of before.</param>
    public static DeltaEvictor<T> Of<T>(double threshold, Func<T, T, double> delta, bool doEvictAfter = false) =>
        new(threshold, delta ?? throw new ArgumentNullException(nameof(delta)), doEvictAfter);
}

/// <summary>Removes the elements too far, by a delta function, from the window's newest element (Flink's <c>DeltaEvictor</c>).</summary>
public sealed class DeltaEvictor<T> : Evictor<T>
{
    private readonly Func<T, T, double> _delta;
    private readonly bool _evictAfter;

    internal DeltaEvictor(double threshold, Func<T, T, double> delta, bool evictAfter)
    {
        Threshold = threshold;
        _delta = delta;
        _evictAfter = evictAfter;
    }

    /// <summary>The delta from which elements go.</summary>
    public double Threshold { get; }

    /// <inheritdoc />
    public override void EvictBefore(IList<TimestampedValue<T>> elements, TimeWindow window, EvictorContext context)
    {
        if (!_evictAfter)
        {
            Evict(elements);
        }
    }

    /// <inheritdoc />
    public override void EvictAfter(IList<TimestampedValue<T>> elements, TimeWindow window, EvictorContext context)
    {
        if (_evictAfter)
        {
            Evict(elements);
        }
    }

    /// <inheritdoc />
    public override string ToString() => $"DeltaEvictor({Threshold})";

    private void Evict(IList<TimestampedValue<T>> elements)
    {
        ArgumentNullException.ThrowIfNull(elements);
        if (elements.Count == 0)
        {
            return;
        }

        var newest = elements[^1].Value;
        RemoveWhere(elements, e => _delta(e.Value, newest) >= Threshold);
    }
}
