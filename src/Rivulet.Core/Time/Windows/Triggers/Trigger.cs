namespace Rivulet.Core.Time.Windows.Triggers;

/// <summary>
/// Decides when a window fires and when its contents are purged (Flink's <c>Trigger</c>). The
/// window operator asks it for every element added to a window and for every timer it registered;
/// each answer is a <see cref="TriggerResult"/>. A trigger keeps what it needs to remember in
/// <see cref="TriggerContext.PartitionedState"/> (scoped to the key and window, checkpointed) and
/// must not change its own fields: one instance serves all keys and windows of a subtask.
/// </summary>
/// <remarks>
/// Every window assigner has a default trigger (<see cref="WindowAssigner.DefaultTrigger"/>);
/// <c>WindowedStream.Trigger</c> replaces it. To see the elements as their own type, derive from
/// <see cref="Trigger{TElement}"/>.
/// </remarks>
public abstract class Trigger
{
    /// <summary>Called for every element added to <paramref name="window"/>; <paramref name="timestamp"/> is the element's (event time) or <see cref="TimestampAssigner.NoTimestamp"/>.</summary>
    public abstract TriggerResult OnElement<T>(T element, long timestamp, TimeWindow window, TriggerContext context);

    /// <summary>Called when an event-time timer this trigger registered for <paramref name="window"/> fires.</summary>
    public abstract TriggerResult OnEventTime(long time, TimeWindow window, TriggerContext context);

    /// <summary>Called when a processing-time timer this trigger registered for <paramref name="window"/> fires.</summary>
    public abstract TriggerResult OnProcessingTime(long time, TimeWindow window, TriggerContext context);

    /// <summary>Whether the trigger supports merging windows (session windows require it); then <see cref="OnMerge"/> must be implemented.</summary>
    public virtual bool CanMerge => false;

    /// <summary>
    /// Called when windows were merged into <paramref name="window"/>: carry state over with
    /// <see cref="OnMergeContext.MergePartitionedState{T}"/> and register the merged window's timers.
    /// The merged-away windows are cleared (<see cref="Clear"/>) afterwards.
    /// </summary>
    /// <exception cref="NotSupportedException">The trigger does not support merging (<see cref="CanMerge"/> is false).</exception>
    public virtual void OnMerge(TimeWindow window, OnMergeContext context) =>
        throw new NotSupportedException($"Trigger {GetType().Name} does not support merging windows.");

    /// <summary>Called when <paramref name="window"/> is removed: delete the timers and the state this trigger keeps for it.</summary>
    public abstract void Clear(TimeWindow window, TriggerContext context);

    /// <summary>The element type the trigger was written for (null: any); a window of other elements refuses it when the job is built.</summary>
    internal virtual Type? ElementType => null;
}
