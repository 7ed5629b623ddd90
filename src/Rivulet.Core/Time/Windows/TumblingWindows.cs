namespace Rivulet.Core.Time.Windows;

/// <summary>Fixed-size, non-overlapping windows; the base of the event- and processing-time variants.</summary>
public abstract class TumblingWindows : WindowAssigner
{
    private readonly long _size;
    private readonly long _offset;

    private protected TumblingWindows(TimeSpan size, TimeSpan offset)
    {
        _size = Milliseconds(size, nameof(size));
        _offset = CheckedOffset(offset, _size);
    }

    /// <inheritdoc />
    public sealed override void AssignWindows(long timestamp, IList<TimeWindow> windows)
    {
        TryAssignSingleWindow(timestamp, out var window);
        windows.Add(window);
    }

    internal sealed override bool TryAssignSingleWindow(long timestamp, out TimeWindow window)
    {
        var start = TimeWindow.WindowStart(timestamp, _offset, _size);
        window = new TimeWindow(start, start + _size);
        return true;
    }
}

/// <summary>Tumbling windows on event time: each element falls into exactly one window of the given size.</summary>
public sealed class TumblingEventTimeWindows : TumblingWindows
{
    private TumblingEventTimeWindows(TimeSpan size, TimeSpan offset)
        : base(size, offset)
    {
    }

    /// <inheritdoc />
    public override bool IsEventTime => true;

    /// <param name="size">Window length.</param>
    /// <param name="offset">Shifts window starts, e.g. -8 h for days in UTC+8.</param>
    public static TumblingEventTimeWindows Of(TimeSpan size, TimeSpan offset = default) => new(size, offset);
}

/// <summary>Tumbling windows on processing time: the job's clock (<see cref="Api.StreamExecutionEnvironment.SetTimeProvider"/>, the system clock by default).</summary>
public sealed class TumblingProcessingTimeWindows : TumblingWindows
{
    private TumblingProcessingTimeWindows(TimeSpan size, TimeSpan offset)
        : base(size, offset)
    {
    }

    /// <inheritdoc />
    public override bool IsEventTime => false;

    /// <summary>Tumbling processing-time windows of <paramref name="size"/> (Flink's <c>TumblingProcessingTimeWindows.of</c>).</summary>
    /// <param name="size">Window length (whole milliseconds).</param>
    /// <param name="offset">Shifts window starts, e.g. -8 h for days in UTC+8; smaller in magnitude than <paramref name="size"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="size"/> is less than 1 ms, or <paramref name="offset"/> is not smaller in magnitude than it.</exception>
    public static TumblingProcessingTimeWindows Of(TimeSpan size, TimeSpan offset = default) => new(size, offset);
}
