using Rivulet.Core.State;

namespace Rivulet.Core.Time.Windows.Triggers;

/// <summary>What a trigger can reach while the operator asks it about one key and window (Flink's <c>Trigger.TriggerContext</c>).</summary>
public abstract class TriggerContext
{
    /// <summary>Processing time in Unix ms: the job's clock.</summary>
    public abstract long CurrentProcessingTime { get; }

    /// <summary>The operator's current event-time watermark.</summary>
    public abstract long CurrentWatermark { get; }

    /// <summary>
    /// State of the current key and window (Flink's <c>getPartitionedState</c>): checkpointed,
    /// moved with the key on rescaling; clear it in <see cref="Trigger.Clear"/>.
    /// </summary>
    public abstract IKeyedStateStore PartitionedState { get; }

    /// <summary>Calls the trigger's <see cref="Trigger.OnEventTime"/> for this key and window once the watermark reaches <paramref name="time"/> (once per time).</summary>
    public abstract void RegisterEventTimeTimer(long time);

    /// <summary>Calls the trigger's <see cref="Trigger.OnProcessingTime"/> for this key and window once the clock reaches <paramref name="time"/> (once per time).</summary>
    public abstract void RegisterProcessingTimeTimer(long time);

    /// <summary>Removes an event-time timer of this key and window.</summary>
    public abstract void DeleteEventTimeTimer(long time);

    /// <summary>Removes a processing-time timer of this key and window.</summary>
    public abstract void DeleteProcessingTimeTimer(long time);
}
