using Rivulet.Core.Time.Windows.Triggers;

namespace Rivulet.Core.Time.Windows;

/// <summary>
/// Decides which windows an element belongs to (Flink's <c>WindowAssigner</c>). Event-time
/// assigners use the element's timestamp and fire when the watermark passes a window's end;
/// processing-time assigners use the clock and fire when it does.
/// </summary>
public abstract class WindowAssigner
{
    /// <summary>True for event-time windows, false for processing-time windows.</summary>
    public abstract bool IsEventTime { get; }

    /// <summary>True when windows of a key that touch are merged into one (session windows).</summary>
    public virtual bool IsMerging => false;

    /// <summary>
    /// The trigger windows get unless <c>WindowedStream.Trigger</c> sets one (Flink's
    /// <c>getDefaultTrigger</c>): <see cref="EventTimeTrigger"/> for event-time assigners,
    /// <see cref="ProcessingTimeTrigger"/> for processing-time ones.
    /// </summary>
    public virtual Trigger DefaultTrigger => IsEventTime ? EventTimeTrigger.Create() : ProcessingTimeTrigger.Create();

    /// <summary>
    /// Adds the windows of an element to <paramref name="windows"/>. <paramref name="timestamp"/>
    /// is the element's timestamp for event-time assigners and the current processing time for
    /// processing-time assigners.
    /// </summary>
    public abstract void AssignWindows(long timestamp, IList<TimeWindow> windows);

    /// <summary>
    /// For assigners that always give exactly one window (tumbling): that window, without a list.
    /// The window operator calls this per element first; false means "use <see cref="AssignWindows"/>".
    /// </summary>
    internal virtual bool TryAssignSingleWindow(long timestamp, out TimeWindow window)
    {
        window = default;
        return false;
    }

    internal static long Milliseconds(TimeSpan value, string name, bool allowZero = false)
    {
        var ms = (long)value.TotalMilliseconds;
        if (ms < 0 || (ms == 0 && !allowZero))
        {
            throw new ArgumentOutOfRangeException(name, value, $"The window {name} must be {(allowZero ? "zero or more" : "positive")} (whole milliseconds).");
        }

        return ms;
    }

    internal static long CheckedOffset(TimeSpan offset, long size)
    {
        var ms = (long)offset.TotalMilliseconds;
        if (Math.Abs(ms) >= size)
        {
            throw new ArgumentOutOfRangeException(nameof(offset), offset, "The window offset must be smaller than the window size (or slide).");
        }

        return ms;
    }
}
