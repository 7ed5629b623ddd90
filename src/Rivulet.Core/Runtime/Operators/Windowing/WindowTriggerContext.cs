using Rivulet.Core.Runtime.Timers;
using Rivulet.Core.State;
using Rivulet.Core.Time.Windows;
using Rivulet.Core.Time.Windows.Triggers;

namespace Rivulet.Core.Runtime.Operators.Windowing;

/// <summary>
/// The trigger's view of one key and window: timers in the window's namespace (of the operator's
/// current key), and state scoped to key and window. One instance per operator, pointed at the
/// key and window before each call into the trigger.
/// </summary>
internal sealed class WindowTriggerContext<TKey>(InternalTimerService<TKey, TimeWindow> timers, HeapKeyedStateBackend<WindowedKey<TKey>> state) : OnMergeContext
    where TKey : notnull
{
    private readonly List<TimeWindow> _mergedAway = [];
    private TKey _key = default!;
    private TimeWindow _window;

    public override long CurrentProcessingTime => timers.CurrentProcessingTime;

    public override long CurrentWatermark => timers.CurrentWatermark;

    public override IKeyedStateStore PartitionedState => state;

    /// <summary>Points the context at <paramref name="window"/> of <paramref name="key"/> (the operator's current key).</summary>
    public WindowTriggerContext<TKey> For(TKey key, TimeWindow window)
    {
        _key = key;
        _window = window;
        state.SetCurrentKey(new WindowedKey<TKey>(key, window));
        return this;
    }

    /// <summary>Points the context at the merged <paramref name="window"/>, with the windows merged into it.</summary>
    public WindowTriggerContext<TKey> ForMerge(TKey key, TimeWindow window, IEnumerable<TimeWindow> mergedAway)
    {
        _mergedAway.Clear();
        _mergedAway.AddRange(mergedAway);
        return For(key, window);
    }

    public override void RegisterEventTimeTimer(long time) => timers.RegisterEventTimeTimer(_window, time);

    public override void RegisterProcessingTimeTimer(long time) => timers.RegisterProcessingTimeTimer(_window, time);

    public override void DeleteEventTimeTimer(long time) => timers.DeleteEventTimeTimer(_window, time);

    public override void DeleteProcessingTimeTimer(long time) => timers.DeleteProcessingTimeTimer(_window, time);

    public override void MergePartitionedState<T>(ReducingStateDescriptor<T> descriptor)
    {
        ArgumentNullException.ThrowIfNull(descriptor);
        var target = new WindowedKey<TKey>(_key, _window);
        state.MergeReducingState(descriptor, _mergedAway.Select(w => new WindowedKey<TKey>(_key, w)), target);
    }
}
