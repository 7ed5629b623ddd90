using Rivulet.Core.Api.Functions;
using Rivulet.Core.Time.Windows.Evictors;

namespace Rivulet.Core.Runtime.Operators.Windowing;

/// <summary>
/// Fires a window with an evictor (Flink's <c>EvictingWindowOperator</c>): evict before, run the
/// window's function over what is left, evict after. The evictor works on the stored list itself,
/// so what it removes is gone from the window. A window the evictor emptied before its function
/// gives no result.
/// </summary>
internal sealed class EvictingWindowResult<TIn, TAcc, TOut, TKey>(Evictor evictor, EvictingWindowContents<TIn, TAcc> contents, WindowResult<TAcc, TOut, TKey> inner)
    : WindowResult<List<TimestampedValue<TIn>>, TOut, TKey>
{
    private readonly FiringEvictorContext _context = new();

    public override object? UserFunction => inner.UserFunction;

    public override void Emit(TKey key, List<TimestampedValue<TIn>> elements, IWindowFiring firing, ICollector<TOut> output)
    {
        _context.Firing = firing;
        evictor.EvictBefore(elements, firing.Window, _context);
        if (contents.TryFold(elements, out var folded))
        {
            inner.Emit(key, folded, firing, output);
        }

        evictor.EvictAfter(elements, firing.Window, _context);
    }

    public override void Clear(TKey key, IWindowFiring firing) => inner.Clear(key, firing);

    private sealed class FiringEvictorContext : EvictorContext
    {
        public IWindowFiring Firing { get; set; } = null!;

        public override long CurrentProcessingTime => Firing.CurrentProcessingTime;

        public override long CurrentWatermark => Firing.CurrentWatermark;
    }
}
