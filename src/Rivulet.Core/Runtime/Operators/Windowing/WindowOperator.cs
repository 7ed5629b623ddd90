using System.Runtime.InteropServices;
using Rivulet.Core.Time.Windows;

namespace Rivulet.Core.Runtime.Operators.Windowing;

/// <summary>
/// Keyed windows with their assigner's default trigger (Flink's <c>WindowOperator</c> with
/// <c>EventTimeTrigger</c> / <c>ProcessingTimeTrigger</c>), written out rather than asked of a
/// trigger object: per key and window it keeps the contents in keyed state and two timers, one at
/// the window's max timestamp that fires it, one at max timestamp + allowed lateness that drops it
/// (the same timer when there is no lateness), registered once per window instead of per element.
/// An element for a window the watermark already passed, but within the allowed lateness, fires
/// the window again with the element added. An element whose windows are all past their lateness
/// goes to the late side output, or is dropped and counted. Custom triggers and evictors run in
/// <see cref="TriggerWindowOperator{TKey, TIn, TAcc, TOut}"/>.
/// </summary>
internal sealed class WindowOperator<TKey, TIn, TAcc, TOut> : WindowOperatorBase<TKey, TIn, TAcc, TOut>
    where TKey : notnull
{
    private readonly List<TimeWindow> _assigned = [];
    private readonly List<TimeWindow> _merged = [];

    public WindowOperator(Func<TIn, TKey> keySelector, WindowAssigner assigner, WindowContents<TIn, TAcc> contents, WindowResult<TAcc, TOut, TKey> result,
        TimeSpan allowedLateness, Api.OutputTag<TIn>? lateDataTag, IOutput<TOut> output)
        : base(keySelector, assigner, contents, result, allowedLateness, lateDataTag, output)
    {
    }

    public override void OnEventTime(TKey key, TimeWindow window, long time)
    {
        if (EventTime)
        {
            OnTimer(key, window, time);
        }
    }

    public override void OnProcessingTime(TKey key, TimeWindow window, long time)
    {
        if (!EventTime)
        {
            OnTimer(key, window, time);
        }
    }

    protected override bool ProcessInWindows(TIn value, long timestamp, long time)
    {
        if (Assigner.TryAssignSingleWindow(time, out var single))
        {
            // Tumbling windows: one window per element, no list to fill and walk.
            return !IsLate(single) && AddToWindow(WindowsOfCurrentKey(), single, value, timestamp);
        }

        _assigned.Clear();
        Assigner.AssignWindows(time, _assigned);
        return Assigner.IsMerging ? AddToSession(value, timestamp) : AddToWindows(value, timestamp);
    }

    private bool AddToWindows(TIn value, long timestamp)
    {
        Dictionary<TimeWindow, TAcc>? windows = null;
        var added = false;
        foreach (var window in _assigned)
        {
            if (!IsLate(window))
            {
                added = AddToWindow(windows ??= WindowsOfCurrentKey(), window, value, timestamp);
            }
        }

        return added;
    }

    private bool AddToWindow(Dictionary<TimeWindow, TAcc> windows, TimeWindow window, TIn value, long timestamp)
    {
        // One hash lookup for read and write; nothing else touches this dictionary until the
        // reference is used up.
        ref var slot = ref CollectionsMarshal.GetValueRefOrAddDefault(windows, window, out var exists);
        var contents = Contents.Add(slot!, exists, value, timestamp);
        slot = contents;
        if (!exists)
        {
            RegisterTimers(window);
        }

        FireIfWatermarkPassed(Backend.CurrentKey, window, contents);
        return true;
    }

    /// <summary>Adds the element's session window, merging every window of the key it touches.</summary>
    private bool AddToSession(TIn value, long timestamp)
    {
        var key = Backend.CurrentKey;
        Windows.ByKey.TryGetValue(key, out var windows);
        var session = MergeTouching(windows, _assigned[0], _merged);
        if (IsLate(session))
        {
            return false;
        }

        windows ??= WindowsOfCurrentKey();
        foreach (var old in _merged)
        {
            DeleteTimers(old);
        }

        var exists = TakeMergedContents(windows, _merged, out var contents);
        contents = Contents.Add(contents, exists, value, timestamp);
        windows[session] = contents;
        RegisterTimers(session);
        FireIfWatermarkPassed(key, session, contents);
        return true;
    }

    private void FireIfWatermarkPassed(TKey key, TimeWindow window, TAcc contents)
    {
        // Late but within the allowed lateness: the window fires again, now with this element.
        if (EventTime && window.MaxTimestamp <= Timers.CurrentWatermark)
        {
            Fire(key, window, contents);
        }
    }

    private void OnTimer(TKey key, TimeWindow window, long time)
    {
        if (!Windows.ByKey.TryGetValue(key, out var windows) || !windows.TryGetValue(window, out var contents))
        {
            return;
        }

        if (time == window.MaxTimestamp)
        {
            Fire(key, window, contents);
        }

        if (time == CleanupTime(window))
        {
            RemoveContents(key, window);
            ClearWindowFunctionState(key, window);
        }
    }

    private void RegisterTimers(TimeWindow window)
    {
        if (EventTime)
        {
            Timers.RegisterEventTimeTimer(window, window.MaxTimestamp);
            Timers.RegisterEventTimeTimer(window, CleanupTime(window));
        }
        else
        {
            Timers.RegisterProcessingTimeTimer(window, window.MaxTimestamp);
        }
    }

    private void DeleteTimers(TimeWindow window)
    {
        if (EventTime)
        {
            Timers.DeleteEventTimeTimer(window, window.MaxTimestamp);
            Timers.DeleteEventTimeTimer(window, CleanupTime(window));
        }
        else
        {
            Timers.DeleteProcessingTimeTimer(window, window.MaxTimestamp);
        }
    }
}
