namespace Rivulet.Core.Time.Windows.Triggers;

/// <summary>
/// Fires a window every <see cref="Interval"/> of event time (aligned to multiples of it) while it
/// is open, and once more at its end (Flink's <c>ContinuousEventTimeTrigger</c>): early results of
/// long windows. The next firing time is window state, checkpointed.
/// </summary>
public sealed class ContinuousEventTimeTrigger : Trigger
{
    private readonly PeriodicFiring _firing;

    private ContinuousEventTimeTrigger(long interval) => _firing = new PeriodicFiring(interval, eventTime: true);

    /// <summary>How often the window fires, in event time.</summary>
    public TimeSpan Interval => TimeSpan.FromMilliseconds(_firing.Interval);

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
        if (timestamp != TimestampAssigner.NoTimestamp)
        {
            _firing.Start(timestamp, window, context);
        }

        return TriggerResult.Continue;
    }

    /// <inheritdoc />
    public override TriggerResult OnEventTime(long time, TimeWindow window, TriggerContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return time == window.MaxTimestamp || _firing.IsDue(time, window, context) ? TriggerResult.Fire : TriggerResult.Continue;
    }

    /// <inheritdoc />
    public override TriggerResult OnProcessingTime(long time, TimeWindow window, TriggerContext context) => TriggerResult.Continue;

    /// <inheritdoc />
    public override void OnMerge(TimeWindow window, OnMergeContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        _firing.Merge(context);
    }

    /// <inheritdoc />
    public override void Clear(TimeWindow window, TriggerContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        _firing.Clear(context);
    }

    /// <inheritdoc />
    public override string ToString() => $"ContinuousEventTimeTrigger({Interval})";
}
