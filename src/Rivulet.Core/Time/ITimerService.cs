namespace Rivulet.Core.Time;

/// <summary>
/// Timers of the current key (Flink's <c>TimerService</c>), available in keyed process functions.
/// A timer is identified by its key and time: registering the same one twice fires it once.
/// Timers are part of the keyed state: checkpointed, restored, and moved with their key on rescaling.
/// </summary>
public interface ITimerService
{
    /// <summary>Processing time in Unix ms: the job's clock (<see cref="Api.StreamExecutionEnvironment.SetTimeProvider"/>, the system clock by default).</summary>
    long CurrentProcessingTime { get; }

    /// <summary>The operator's current event-time watermark (<see cref="long.MinValue"/> before the first).</summary>
    long CurrentWatermark { get; }

    /// <summary>
    /// Registers a timer of the current key that fires (<c>OnTimer</c>) once the watermark reaches
    /// <paramref name="time"/> (Unix ms); a time at or below the current watermark fires with the next watermark.
    /// </summary>
    void RegisterEventTimeTimer(long time);

    /// <summary>Registers a timer of the current key that fires (<c>OnTimer</c>) once the clock reaches <paramref name="time"/> (Unix ms); a time already past fires shortly after (not within this call).</summary>
    void RegisterProcessingTimeTimer(long time);

    /// <summary>Deletes the current key's event-time timer at <paramref name="time"/> (Unix ms); does nothing when there is none.</summary>
    void DeleteEventTimeTimer(long time);

    /// <summary>Deletes the current key's processing-time timer at <paramref name="time"/> (Unix ms); does nothing when there is none.</summary>
    void DeleteProcessingTimeTimer(long time);
}
