using Rivulet.Core.State;

namespace Rivulet.Core.Time.Windows.Triggers;

/// <summary>
/// The next firing time of a continuous trigger, kept per key and window as state and backed by
/// one timer of the trigger's time: every interval (aligned to multiples of it), the window's end
/// at the latest.
/// </summary>
internal sealed class PeriodicFiring(long interval, bool eventTime)
{
    private readonly ReducingStateDescriptor<long?> _next = new("fire-time", static (a, b) => Math.Min(a!.Value, b!.Value));

    public long Interval => interval;

    /// <summary>Schedules the first firing after <paramref name="now"/> unless one is scheduled.</summary>
    public void Start(long now, TimeWindow window, TriggerContext context)
    {
        var next = context.PartitionedState.GetReducingState(_next);
        if (next.Get() is null)
        {
            ScheduleAfter(TimeWindow.WindowStart(now, 0, interval), window, context, next);
        }
    }

    /// <summary>Whether <paramref name="time"/> is the scheduled firing; if so, the following one is scheduled.</summary>
    public bool IsDue(long time, TimeWindow window, TriggerContext context)
    {
        var next = context.PartitionedState.GetReducingState(_next);
        if (next.Get() != time)
        {
            return false;
        }

        next.Clear();
        ScheduleAfter(time, window, context, next);
        return true;
    }

    /// <summary>The merged window fires at the earliest of the merged windows' next firings.</summary>
    public void Merge(OnMergeContext context)
    {
        context.MergePartitionedState(_next);
        if (context.PartitionedState.GetReducingState(_next).Get() is { } next)
        {
            Register(context, next);
        }
    }

    public void Clear(TriggerContext context)
    {
        var next = context.PartitionedState.GetReducingState(_next);
        if (next.Get() is { } time)
        {
            if (eventTime)
            {
                context.DeleteEventTimeTimer(time);
            }
            else
            {
                context.DeleteProcessingTimeTimer(time);
            }

            next.Clear();
        }
    }

    private void ScheduleAfter(long time, TimeWindow window, TriggerContext context, IReducingState<long?> next)
    {
        var at = time > long.MaxValue - interval ? window.MaxTimestamp : Math.Min(time + interval, window.MaxTimestamp);
        next.Add(at);
        Register(context, at);
    }

    private void Register(TriggerContext context, long time)
    {
        if (eventTime)
        {
            context.RegisterEventTimeTimer(time);
        }
        else
        {
            context.RegisterProcessingTimeTimer(time);
        }
    }
}
