using System.Runtime.InteropServices;
using Rivulet.Core.Time.Windows;
using Rivulet.Core.Time.Windows.Triggers;

namespace Rivulet.Core.Runtime.Operators.Windowing;

/// <summary>
/// Keyed windows whose firing a <see cref="Trigger"/> decides (Flink's <c>WindowOperator</c> with
/// a custom trigger; with an evictor its contents are an <see cref="EvictingWindowContents{TIn, TAcc}"/>).
/// For every element added to a window and every timer the trigger registered, the trigger answers
/// continue, fire, purge or fire-and-purge. Independently, a cleanup timer at the window's cleanup
/// time (its end, plus the allowed lateness for event time; never for the global window) removes
/// the contents, the trigger's state (<see cref="Trigger.Clear"/>) and calls the window
/// function's <c>Clear</c>. Timers of both kinds reach the trigger, whatever the assigner's time.
/// </summary>
internal sealed class TriggerWindowOperator<TKey, TIn, TAcc, TOut> : WindowOperatorBase<TKey, TIn, TAcc, TOut>
    where TKey : notnull
{
    private readonly Trigger _trigger;
    private readonly List<TimeWindow> _assigned = [];
    private readonly List<TimeWindow> _merged = [];
    private WindowTriggerContext<TKey> _context = null!;

    public TriggerWindowOperator(Func<TIn, TKey> keySelector, WindowAssigner assigner, Trigger trigger, WindowContents<TIn, TAcc> contents,
        WindowResult<TAcc, TOut, TKey> result, TimeSpan allowedLateness, Api.OutputTag<TIn>? lateDataTag, IOutput<TOut> output)
        : base(keySelector, assigner, contents, result, allowedLateness, lateDataTag, output)
    {
        _trigger = trigger;
    }

    public override void Open()
    {
        base.Open();
        _context = new WindowTriggerContext<TKey>(Timers, WindowScopedBackend("trigger state"));
    }

    public override void OnEventTime(TKey key, TimeWindow window, long time)
    {
        if (ContentsOf(key, window))
        {
            Apply(key, window, _trigger.OnEventTime(time, window, _context.For(key, window)));
        }

        if (EventTime && time == CleanupTime(window))
        {
            ClearAll(key, window);
        }
    }

    public override void OnProcessingTime(TKey key, TimeWindow window, long time)
    {
        if (ContentsOf(key, window))
        {
            Apply(key, window, _trigger.OnProcessingTime(time, window, _context.For(key, window)));
        }

        if (!EventTime && time == CleanupTime(window))
        {
            ClearAll(key, window);
        }
    }

    protected override bool ProcessInWindows(TIn value, long timestamp, long time)
    {
        var key = Backend.CurrentKey;
        if (Assigner.TryAssignSingleWindow(time, out var single))
        {
            return !IsLate(single) && AddToWindow(key, single, value, timestamp);
        }

        _assigned.Clear();
        Assigner.AssignWindows(time, _assigned);
        if (Assigner.IsMerging)
        {
            return AddToSession(key, value, timestamp);
        }

        var added = false;
        foreach (var window in _assigned)
        {
            if (!IsLate(window))
            {
                added = AddToWindow(key, window, value, timestamp);
            }
        }

        return added;
    }

    private bool AddToWindow(TKey key, TimeWindow window, TIn value, long timestamp)
    {
        // Looked up per window: a purge in an earlier window of this element may have dropped the key's entry.
        var windows = WindowsOfCurrentKey();
        ref var slot = ref CollectionsMarshal.GetValueRefOrAddDefault(windows, window, out var exists);
        slot = Contents.Add(slot!, exists, value, timestamp);
        if (!exists)
        {
            RegisterCleanupTimer(window);
        }

        Apply(key, window, _trigger.OnElement(value, timestamp, window, _context.For(key, window)));
        return true;
    }

    /// <summary>
    /// Adds the element's session window, merging every window of the key it touches: their
    /// contents combine, the trigger carries its state over (<see cref="Trigger.OnMerge"/>), and the
    /// merged-away windows' trigger state and cleanup timers go.
    /// </summary>
    private bool AddToSession(TKey key, TIn value, long timestamp)
    {
        Windows.ByKey.TryGetValue(key, out var windows);
        var session = MergeTouching(windows, _assigned[0], _merged);
        if (IsLate(session))
        {
            return false;
        }

        windows ??= WindowsOfCurrentKey();
        var exists = TakeMergedContents(windows, _merged, out var contents);
        windows[session] = Contents.Add(contents, exists, value, timestamp);
        _merged.Remove(session);
        if (_merged.Count > 0)
        {
            _trigger.OnMerge(session, _context.ForMerge(key, session, _merged));
            foreach (var old in _merged)
            {
                _trigger.Clear(old, _context.For(key, old));
                DeleteCleanupTimer(old);
            }
        }

        RegisterCleanupTimer(session);
        Apply(key, session, _trigger.OnElement(value, timestamp, session, _context.For(key, session)));
        return true;
    }

    private bool ContentsOf(TKey key, TimeWindow window) => Windows.ByKey.TryGetValue(key, out var windows) && windows.ContainsKey(window);

    private void Apply(TKey key, TimeWindow window, TriggerResult result)
    {
        if (result == TriggerResult.Continue || !Windows.ByKey.TryGetValue(key, out var windows) || !windows.TryGetValue(window, out var contents))
        {
            return;
        }

        if (result.IsFire())
        {
            Fire(key, window, contents);
        }

        if (result.IsPurge() || Contents.IsEmpty(contents))
        {
            RemoveContents(key, window);
        }
    }

    /// <summary>The window's cleanup time came: contents, trigger state and the window function's window state go.</summary>
    private void ClearAll(TKey key, TimeWindow window)
    {
        RemoveContents(key, window);
        _trigger.Clear(window, _context.For(key, window));
        ClearWindowFunctionState(key, window);
    }

    private void RegisterCleanupTimer(TimeWindow window)
    {
        var cleanup = CleanupTime(window);
        if (cleanup == long.MaxValue)
        {
            return;
        }

        if (EventTime)
        {
            Timers.RegisterEventTimeTimer(window, cleanup);
        }
        else
        {
            Timers.RegisterProcessingTimeTimer(window, cleanup);
        }
    }

    private void DeleteCleanupTimer(TimeWindow window)
    {
        var cleanup = CleanupTime(window);
        if (cleanup == long.MaxValue)
        {
            return;
        }

        if (EventTime)
        {
            Timers.DeleteEventTimeTimer(window, cleanup);
        }
        else
        {
            Timers.DeleteProcessingTimeTimer(window, cleanup);
        }
    }
}
