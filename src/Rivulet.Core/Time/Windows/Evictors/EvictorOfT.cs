namespace Rivulet.Core.Time.Windows.Evictors;

/// <summary>An evictor that sees the window's elements as <typeparamref name="TElement"/>; a window of other elements refuses it when the job is built.</summary>
/// <typeparam name="TElement">The window's element type, exactly.</typeparam>
public abstract class Evictor<TElement> : Evictor
{
    /// <inheritdoc />
    public sealed override void EvictBefore<T>(IList<TimestampedValue<T>> elements, TimeWindow window, EvictorContext context) =>
        EvictBefore(Typed(elements), window, context);

    /// <inheritdoc />
    public sealed override void EvictAfter<T>(IList<TimestampedValue<T>> elements, TimeWindow window, EvictorContext context) =>
        EvictAfter(Typed(elements), window, context);

    /// <summary>Runs before the window function; remove elements from <paramref name="elements"/> (in arrival order) to keep them from it.</summary>
    public abstract void EvictBefore(IList<TimestampedValue<TElement>> elements, TimeWindow window, EvictorContext context);

    /// <summary>Runs after the window function; remove elements from <paramref name="elements"/> to drop them from the window.</summary>
    public abstract void EvictAfter(IList<TimestampedValue<TElement>> elements, TimeWindow window, EvictorContext context);

    internal override Type ElementType => typeof(TElement);

    private IList<TimestampedValue<TElement>> Typed<T>(IList<TimestampedValue<T>> elements) =>
        elements as IList<TimestampedValue<TElement>>
        ?? throw new InvalidOperationException($"Evictor {GetType().Name} handles {typeof(TElement).Name} elements, not {typeof(T).Name}.");
}
