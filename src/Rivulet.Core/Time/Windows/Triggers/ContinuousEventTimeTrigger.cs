using Rivulet.Core.State;

namespace Rivulet.Core.Time.Windows.Triggers;

/// <summary>
/// Fires a window every <see cref="Interval"/> of event time (aligned to multiples of it) while it
/// is open, and once more at its end (Flink's <c>ContinuousEventTimeTrigger</c>): early results of
/// long windows. The next firing time is window state, checkpointed.
/// </summary>
public sealed class ContinuousEventTimeTrigger : Trigger
{
    private readonly long _interval;
    private readonly ReducingStateDescriptor<long?> _nextFire = new("fire-time", static (a, b) => Math.Min(a!.Value, b!.Value));

    private ContinuousEventTimeTrigger(long interval) => _interval = interval;

    /// <summary>How often the window fires, in event time.</summary>
    public TimeSpan Interval => TimeSpan.FromMilliseconds(_interval);

    /// <summary>A trigger firing every <paramref name="interval"/> of event time (Flink's <c>ContinuousEventTimeTrigger.of</c>).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="interval"/> is less than 1 ms.</exception>
    public static ContinuousEventTimeTrigger Of(TimeSpan interval) => new(WindowAssigner.Milliseconds(interval, "interval"));

    /// <inheritdoc />
    public override bool CanMerge => true;

    /// <inheritdoc />
    public override TriggerResult OnElement<T>(T element, long timestamp, TimeWindow window, TriggerContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (window.MaxTimestamp <= context.CurrentWatermark)
        {
            return TriggerResult.Fire;
        }

        context.RegisterEventTimeTimer(window.MaxTimestamp);
        var nextFire = context.PartitionedState.GetReducingState(_nextFire);
        if (nextFire.Get() is null && timestamp != TimestampAssigner.NoTimestamp)
        {
            ScheduleAfter(TimeWindow.WindowStart(timestamp, 0, _interval), window, context, nextFire);
        }

        return TriggerResult.Continue;
    }

    /// <inheritdoc />
    public override TriggerResult OnEventTime(long time, TimeWindow window, TriggerContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (time == window.MaxTimestamp)
        {
            return TriggerResult.Fire;
        }

        var nextFire = context.PartitionedState.GetReducingState(_nextFire);
        if (nextFire.Get() != time)
        {
            return TriggerResult.Continue;
        }

        nextFire.Clear();
        ScheduleAfter(time, window, context, nextFire);
        return TriggerResult.Fire;
    }

    /// <inheritdoc />
    public override TriggerResult OnProcessingTime(long time, TimeWindow window, TriggerContext context) => TriggerResult.Continue;

    /// <inheritdoc />
    public override void OnMerge(TimeWindow window, OnMergeContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.MergePartitionedState(_nextFire);
        if (context.PartitionedState.GetReducingState(_nextFire).Get() is { } next)
        {
            context.RegisterEventTimeTimer(next);
        }
    }

    /// <inheritdoc />
    public override void Clear(TimeWindow window, TriggerContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var nextFire = context.PartitionedState.GetReducingState(_nextFire);
        if (nextFire.Get() is { } next)
        {
            context.DeleteEventTimeTimer(next);
            nextFire.Clear();
        }
    }

    /// <inheritdoc />
    public override string ToString() => $"ContinuousEventTimeTrigger({Interval})";

    /// <summary>The next firing one interval after <paramref name="time"/>, at the window's end at the latest.</summary>
    private void ScheduleAfter(long time, TimeWindow window, TriggerContext context, IReducingState<long?> nextFire)
    {
        var next = time > long.MaxValue - _interval ? window.MaxTimestamp : Math.Min(time + _interval, window.MaxTimestamp);
        nextFire.Add(next);
        context.RegisterEventTimeTimer(next);
    }
}
