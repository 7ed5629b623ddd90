namespace Rivulet.Core.Time.Windows.Evictors;

/// <summary>
/// Removes elements from a window when it fires, before and/or after its function runs (Flink's
/// <c>Evictor</c>). A window with an evictor keeps every element with its timestamp (a Reduce or
/// Aggregate then runs over what is left at each firing instead of incrementally); what the
/// evictor removes is gone from the window's state. To see the elements as their own type,
/// derive from <see cref="Evictor{TElement}"/>.
/// </summary>
public abstract class Evictor
{
    /// <summary>Runs before the window function; remove elements from <paramref name="elements"/> (in arrival order) to keep them from it.</summary>
    public abstract void EvictBefore<T>(IList<TimestampedValue<T>> elements, TimeWindow window, EvictorContext context);

    /// <summary>Runs after the window function; remove elements from <paramref name="elements"/> to drop them from the window.</summary>
    public abstract void EvictAfter<T>(IList<TimestampedValue<T>> elements, TimeWindow window, EvictorContext context);

    /// <summary>The element type the evictor was written for (null: any); a window of other elements refuses it when the job is built.</summary>
    internal virtual Type? ElementType => null;

    /// <summary>Removes the first <paramref name="count"/> elements.</summary>
    private protected static void RemoveFirst<T>(IList<TimestampedValue<T>> elements, int count)
    {
        if (count <= 0)
        {
            return;
        }

        if (elements is List<TimestampedValue<T>> list)
        {
            list.RemoveRange(0, count);
            return;
        }

        for (var i = 0; i < count; i++)
        {
            elements.RemoveAt(0);
        }
    }

    /// <summary>Removes every element <paramref name="evict"/> holds for, keeping the others' order.</summary>
    private protected static void RemoveWhere<T>(IList<TimestampedValue<T>> elements, Func<TimestampedValue<T>, bool> evict)
    {
        if (elements is List<TimestampedValue<T>> list)
        {
            list.RemoveAll(e => evict(e));
            return;
        }

        for (var i = elements.Count - 1; i >= 0; i--)
        {
            if (evict(elements[i]))
            {
                elements.RemoveAt(i);
            }
        }
    }
}
