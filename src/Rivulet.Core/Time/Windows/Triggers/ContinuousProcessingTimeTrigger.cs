namespace Rivulet.Core.Time.Windows.Triggers;

/// <summary>
/// Fires a window every <see cref="Interval"/> of processing time (aligned to multiples of it) while
/// it holds elements, at its end at the latest (Flink's <c>ContinuousProcessingTimeTrigger</c>).
/// The next firing time is window state, checkpointed.
/// </summary>
public sealed class ContinuousProcessingTimeTrigger : Trigger
{
    private readonly PeriodicFiring _firing;

    private ContinuousProcessingTimeTrigger(long interval) => _firing = new PeriodicFiring(interval, eventTime: false);

    /// <summary>How often the window fires, in processing time.</summary>
    public TimeSpan Interval => TimeSpan.FromMilliseconds(_firing.Interval);

    /// <summary>A trigger firing every <paramref name="interval"/> of processing time (Flink's <c>ContinuousProcessingTimeTrigger.of</c>).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="interval"/> is less than 1 ms.</exception>
    public static ContinuousProcessingTimeTrigger Of(TimeSpan interval) => new(WindowAssigner.Milliseconds(interval, "interval"));

    /// <inheritdoc />
    public override bool CanMerge => true;

    /// <inheritdoc />
    public override TriggerResult OnElement<T>(T element, long timestamp, TimeWindow window, TriggerContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        _firing.Start(context.CurrentProcessingTime, window, context);
        return TriggerResult.Continue;
    }

    /// <inheritdoc />
    public override TriggerResult OnEventTime(long time, TimeWindow window, TriggerContext context) => TriggerResult.Continue;

    /// <inheritdoc />
    public override TriggerResult OnProcessingTime(long time, TimeWindow window, TriggerContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return _firing.IsDue(time, window, context) ? TriggerResult.Fire : TriggerResult.Continue;
    }

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
    public override string ToString() => $"ContinuousProcessingTimeTrigger({Interval})";
}
