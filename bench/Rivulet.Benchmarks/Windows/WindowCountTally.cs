using Rivulet.Core.Api.Functions;

namespace Rivulet.Benchmarks.Windows;

/// <summary>
/// Drops the fired windows but adds them up, so a run is only reported when every event was
/// counted in exactly one window and as many windows fired as in the hand-written loop. The
/// totals are shared by all subtasks' copies (the engine copies the function shallowly).
/// </summary>
internal sealed class WindowCountTally(WindowCountTally.Totals totals) : ISinkFunction<WindowCount>, IRichFunction
{
    private long _windows;
    private long _events;

    public void Open(IRuntimeContext context)
    {
        _windows = 0;
        _events = 0;
    }

    public void Invoke(WindowCount value, ISinkContext context)
    {
        _windows++;
        _events += value.Count;
    }

    public void Close()
    {
        Interlocked.Add(ref totals.Windows, _windows);
        Interlocked.Add(ref totals.Events, _events);
    }

    /// <summary>Windows fired and events counted in them, by all subtasks, added up as they close.</summary>
    internal sealed class Totals
    {
        // Fields, so Interlocked can add to them.
        public long Windows;
        public long Events;
    }
}
