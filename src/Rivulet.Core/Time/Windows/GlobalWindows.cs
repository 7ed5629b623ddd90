using Rivulet.Core.Time.Windows.Triggers;

namespace Rivulet.Core.Time.Windows;

/// <summary>
/// Puts every element of a key into one window, <see cref="TimeWindow.Global"/> (Flink's
/// <c>GlobalWindows</c>). Its default trigger never fires: give it one
/// (<c>WindowedStream.Trigger</c>), as count windows do.
/// </summary>
public sealed class GlobalWindows : WindowAssigner
{
    private static readonly GlobalWindows Instance = new();

    private GlobalWindows()
    {
    }

    /// <summary>The global window assigner (Flink's <c>GlobalWindows.create()</c>).</summary>
    public static GlobalWindows Create() => Instance;

    /// <inheritdoc />
    public override bool IsEventTime => false;

    /// <inheritdoc />
    public override Trigger DefaultTrigger => NeverTrigger.Create();

    /// <inheritdoc />
    public override void AssignWindows(long timestamp, IList<TimeWindow> windows)
    {
        ArgumentNullException.ThrowIfNull(windows);
        windows.Add(TimeWindow.Global);
    }

    internal override bool TryAssignSingleWindow(long timestamp, out TimeWindow window)
    {
        window = TimeWindow.Global;
        return true;
    }
}
