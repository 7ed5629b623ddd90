namespace Rivulet.Core.Time;

/// <summary>
/// Timers of the current key (Flink's <c>TimerService</c>), available in keyed process functions.
/// A timer is identified by its key and time: registering the same one twice fires it once.
/// Timers are part of the keyed state: checkpointed, restored, and moved with their key on rescaling.
/// </summary>
public interface ITimerService
{
    /// <summary>The machine's clock in Unix ms.</summary>
    long CurrentProcessingTime { get; }

    /// <summary>The operator's current event-time watermark (<see cref="long.MinValue"/> before the first).</summary>
    long CurrentWatermark { get; }

    void RegisterEventTimeTimer(long time);

    void RegisterProcessingTimeTimer(long time);

    void DeleteEventTimeTimer(long time);

    void DeleteProcessingTimeTimer(long time);
}
