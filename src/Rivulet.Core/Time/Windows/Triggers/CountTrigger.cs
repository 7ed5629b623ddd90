using Rivulet.Core.State;

namespace Rivulet.Core.Time.Windows.Triggers;

/// <summary>Fires a window each time <see cref="MaxCount"/> more elements arrived in it (Flink's <c>CountTrigger</c>); the count is window state, checkpointed.</summary>
public sealed class CountTrigger : Trigger
{
    private readonly ReducingStateDescriptor<long> _count = new("count", static (a, b) => a + b);

    private CountTrigger(long maxCount) => MaxCount = maxCount;

    /// <summary>How many elements make the window fire.</summary>
    public long MaxCount { get; }

    /// <summary>A trigger that fires every <paramref name="maxCount"/> elements (Flink's <c>CountTrigger.of</c>).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxCount"/> is less than 1.</exception>
    public static CountTrigger Of(long maxCount)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxCount, 1);
        return new CountTrigger(maxCount);
    }

    /// <inheritdoc />
    public override bool CanMerge => true;

    /// <inheritdoc />
    public override TriggerResult OnElement<T>(T element, long timestamp, TimeWindow window, TriggerContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var count = context.PartitionedState.GetReducingState(_count);
        count.Add(1);
        if (count.Get() < MaxCount)
        {
            return TriggerResult.Continue;
        }

        count.Clear();
        return TriggerResult.Fire;
    }

    /// <inheritdoc />
    public override TriggerResult OnEventTime(long time, TimeWindow window, TriggerContext context) => TriggerResult.Continue;

    /// <inheritdoc />
    public override TriggerResult OnProcessingTime(long time, TimeWindow window, TriggerContext context) => TriggerResult.Continue;

    /// <inheritdoc />
    public override void OnMerge(TimeWindow window, OnMergeContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.MergePartitionedState(_count);
    }

    /// <inheritdoc />
    public override void Clear(TimeWindow window, TriggerContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.PartitionedState.GetReducingState(_count).Clear();
    }

    /// <inheritdoc />
    public override string ToString() => $"CountTrigger({MaxCount})";
}
