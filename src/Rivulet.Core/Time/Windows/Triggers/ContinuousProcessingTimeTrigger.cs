using Rivulet.Core.State;

namespace Rivulet.Core.Time.Windows.Triggers;

/// <summary>
/// Fires a window every <see cref="Interval"/> of processing time (aligned to multiples of it) while
/// it holds elements, at its end at the latest (Flink's <c>ContinuousProcessingTimeTrigger</c>).
/// The next firing time is window state, checkpointed.
/// </summary>
public sealed class ContinuousProcessingTimeTrigger : Trigger
{
    private readonly long _interval;
    private readonly ReducingStateDescriptor<long?> _nextFire = new("fire-time", static (a, b) => Math.Min(a!.Value, b!.Value));

    private ContinuousProcessingTimeTrigger(long interval) => _interval = interval;

    /// <summary>How often the window fires, in processing time.</summary>
    public TimeSpan Interval => TimeSpan.FromMilliseconds(_interval);

    /// <summary>A trigger firing every <paramref name="interval"/> of processing time (Flink's <c>ContinuousProcessingTimeTrigger.of</c>).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="interval"/> is less than 1 ms.</exception>
    public static ContinuousProcessingTimeTrigger Of(TimeSpan interval) => new(WindowAssigner.Milliseconds(interval, "interval"));

    /// <inheritdoc />
    public override bool CanMerge => true;

    /// <inheritdoc />
    public override TriggerResult OnElement<T>(T element, long timestamp, TimeWindow window, TriggerContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var nextFire = context.PartitionedState.GetReducingState(_nextFire);
        if (nextFire.Get() is null)
        {
            ScheduleAfter(TimeWindow.WindowStart(context.CurrentProcessingTime, 0, _interval), window, context, nextFire);
        }

        return TriggerResult.Continue;
    }

    /// <inheritdoc />
    public override TriggerResult OnEventTime(long time, TimeWindow window, TriggerContext context) => TriggerResult.Continue;

    /// <inheritdoc />
    public override TriggerResult OnProcessingTime(long time, TimeWindow window, TriggerContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
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
    public override void OnMerge(TimeWindow window, OnMergeContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.MergePartitionedState(_nextFire);
        if (context.PartitionedState.GetReducingState(_nextFire).Get() is { } next)
        {
            context.RegisterProcessingTimeTimer(next);
        }
    }

    /// <inheritdoc />
    public override void Clear(TimeWindow window, TriggerContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var nextFire = context.PartitionedState.GetReducingState(_nextFire);
        if (nextFire.Get() is { } next)
        {
            context.DeleteProcessingTimeTimer(next);
            nextFire.Clear();
        }
    }

    /// <inheritdoc />
    public override string ToString() => $"ContinuousProcessingTimeTrigger({Interval})";

    /// <summary>The next firing one interval after <paramref name="time"/>, at the window's end at the latest.</summary>
    private void ScheduleAfter(long time, TimeWindow window, TriggerContext context, IReducingState<long?> nextFire)
    {
        var next = time > long.MaxValue - _interval ? window.MaxTimestamp : Math.Min(time + _interval, window.MaxTimestamp);
        nextFire.Add(next);
        context.RegisterProcessingTimeTimer(next);
    }
}
