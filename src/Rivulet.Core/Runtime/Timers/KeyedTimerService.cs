using Rivulet.Core.Time;

namespace Rivulet.Core.Runtime.Timers;

/// <summary>The user's view of an operator's timers: always those of the current key.</summary>
internal sealed class KeyedTimerService<TKey>(InternalTimerService<TKey, VoidNamespace> timers) : ITimerService
    where TKey : notnull
{
    public long CurrentProcessingTime => timers.CurrentProcessingTime;

    public long CurrentWatermark => timers.CurrentWatermark;

    public void RegisterEventTimeTimer(long time) => timers.RegisterEventTimeTimer(default, time);

    public void RegisterProcessingTimeTimer(long time) => timers.RegisterProcessingTimeTimer(default, time);

    public void DeleteEventTimeTimer(long time) => timers.DeleteEventTimeTimer(default, time);

    public void DeleteProcessingTimeTimer(long time) => timers.DeleteProcessingTimeTimer(default, time);
}
