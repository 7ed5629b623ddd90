namespace Rivulet.Core.Time.Windows;

/// <summary>
/// Windows per key that grow while elements keep coming within the gap: each element opens
/// [t, t + gap), and windows of a key that touch are merged.
/// </summary>
public abstract class SessionWindows : WindowAssigner
{
    private readonly long _gap;

    private protected SessionWindows(TimeSpan gap) => _gap = Milliseconds(gap, nameof(gap));

    /// <inheritdoc />
    public sealed override bool IsMerging => true;

    /// <inheritdoc />
    public sealed override void AssignWindows(long timestamp, IList<TimeWindow> windows) => windows.Add(new TimeWindow(timestamp, timestamp + _gap));
}

/// <summary>Session windows on event time.</summary>
public sealed class EventTimeSessionWindows : SessionWindows
{
    private EventTimeSessionWindows(TimeSpan gap)
        : base(gap)
    {
    }

    /// <inheritdoc />
    public override bool IsEventTime => true;

    /// <summary>Event-time session windows closed after <paramref name="gap"/> without elements of the key (Flink's <c>EventTimeSessionWindows.withGap</c>).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="gap"/> is less than 1 ms (it is taken in whole milliseconds).</exception>
    public static EventTimeSessionWindows WithGap(TimeSpan gap) => new(gap);
}

/// <summary>Session windows on processing time: the job's clock (<see cref="Api.StreamExecutionEnvironment.SetTimeProvider"/>, the system clock by default).</summary>
public sealed class ProcessingTimeSessionWindows : SessionWindows
{
    private ProcessingTimeSessionWindows(TimeSpan gap)
        : base(gap)
    {
    }

    /// <inheritdoc />
    public override bool IsEventTime => false;

    /// <summary>Processing-time session windows closed after <paramref name="gap"/> without elements of the key (Flink's <c>ProcessingTimeSessionWindows.withGap</c>).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="gap"/> is less than 1 ms (it is taken in whole milliseconds).</exception>
    public static ProcessingTimeSessionWindows WithGap(TimeSpan gap) => new(gap);
}
