namespace Rivulet.Core.Time.Windows;

/// <summary>Fixed-size windows starting every slide; an element belongs to size/slide windows.</summary>
public abstract class SlidingWindows : WindowAssigner
{
    private readonly long _size;
    private readonly long _slide;
    private readonly long _offset;

    private protected SlidingWindows(TimeSpan size, TimeSpan slide, TimeSpan offset)
    {
        _size = Milliseconds(size, nameof(size));
        _slide = Milliseconds(slide, nameof(slide));
        _offset = CheckedOffset(offset, _slide);
    }

    /// <inheritdoc />
    public sealed override void AssignWindows(long timestamp, IList<TimeWindow> windows)
    {
        var lastStart = TimeWindow.WindowStart(timestamp, _offset, _slide);
        for (var start = lastStart; start > timestamp - _size; start -= _slide)
        {
            windows.Add(new TimeWindow(start, start + _size));
        }
    }
}

/// <summary>Sliding windows on event time.</summary>
public sealed class SlidingEventTimeWindows : SlidingWindows
{
    private SlidingEventTimeWindows(TimeSpan size, TimeSpan slide, TimeSpan offset)
        : base(size, slide, offset)
    {
    }

    /// <inheritdoc />
    public override bool IsEventTime => true;

    /// <summary>Sliding event-time windows of <paramref name="size"/> starting every <paramref name="slide"/> (Flink's <c>SlidingEventTimeWindows.of</c>).</summary>
    /// <param name="size">Window length (whole milliseconds).</param>
    /// <param name="slide">Distance between window starts (whole milliseconds).</param>
    /// <param name="offset">Shifts window starts, e.g. -8 h for days in UTC+8; smaller in magnitude than <paramref name="slide"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="size"/> or <paramref name="slide"/> is less than 1 ms, or <paramref name="offset"/> is not smaller in magnitude than <paramref name="slide"/>.</exception>
    public static SlidingEventTimeWindows Of(TimeSpan size, TimeSpan slide, TimeSpan offset = default) => new(size, slide, offset);
}

/// <summary>Sliding windows on processing time: the job's clock (<see cref="Api.StreamExecutionEnvironment.SetTimeProvider"/>, the system clock by default).</summary>
public sealed class SlidingProcessingTimeWindows : SlidingWindows
{
    private SlidingProcessingTimeWindows(TimeSpan size, TimeSpan slide, TimeSpan offset)
        : base(size, slide, offset)
    {
    }

    /// <inheritdoc />
    public override bool IsEventTime => false;

    /// <summary>Sliding processing-time windows of <paramref name="size"/> starting every <paramref name="slide"/> (Flink's <c>SlidingProcessingTimeWindows.of</c>).</summary>
    /// <param name="size">Window length (whole milliseconds).</param>
    /// <param name="slide">Distance between window starts (whole milliseconds).</param>
    /// <param name="offset">Shifts window starts, e.g. -8 h for days in UTC+8; smaller in magnitude than <paramref name="slide"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="size"/> or <paramref name="slide"/> is less than 1 ms, or <paramref name="offset"/> is not smaller in magnitude than <paramref name="slide"/>.</exception>
    public static SlidingProcessingTimeWindows Of(TimeSpan size, TimeSpan slide, TimeSpan offset = default) => new(size, slide, offset);
}
