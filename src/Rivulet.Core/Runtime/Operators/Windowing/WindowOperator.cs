using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;
using Rivulet.Core.Api.Functions;
using Rivulet.Core.Runtime.Timers;
using Rivulet.Core.State;
using Rivulet.Core.Time.Windows;

namespace Rivulet.Core.Runtime.Operators.Windowing;

/// <summary>
/// Keyed windows (Flink's <c>WindowOperator</c> with its default triggers). Per key and window it
/// keeps the contents in keyed state and two timers: one at the window's max timestamp that fires
/// it, one at max timestamp + allowed lateness that drops it (the same timer when there is no
/// lateness). An element for a window the watermark already passed, but within the allowed
/// lateness, fires the window again with the element added. An element whose windows are all
/// past their lateness goes to the late side output, or is dropped and counted.
/// </summary>
internal sealed class WindowOperator<TKey, TIn, TAcc, TOut> : KeyedOneInputOperator<TKey, TIn, TOut>, ITimerTarget<TKey, TimeWindow>, IWindowFiring
    where TKey : notnull
{
    private readonly WindowAssigner _assigner;
    private readonly WindowContents<TIn, TAcc> _contents;
    private readonly WindowResult<TAcc, TOut, TKey> _result;
    private readonly bool _eventTime;
    private readonly long _allowedLateness;
    private readonly Api.OutputTag<TIn>? _lateDataTag;
    private readonly TimestampedCollector<TOut> _collector;
    private readonly List<TimeWindow> _assigned = [];
    private readonly List<TimeWindow> _merged = [];
    private KeyedStateTable<TKey, Dictionary<TimeWindow, TAcc>> _windows = null!;
    private InternalTimerService<TKey, TimeWindow> _timers = null!;
    private LateElementDrops _lateDrops = null!;

    public WindowOperator(Func<TIn, TKey> keySelector, WindowAssigner assigner, WindowContents<TIn, TAcc> contents, WindowResult<TAcc, TOut, TKey> result,
        TimeSpan allowedLateness, Api.OutputTag<TIn>? lateDataTag, IOutput<TOut> output)
        : base(keySelector, output)
    {
        _assigner = assigner;
        _eventTime = assigner.IsEventTime;
        _contents = contents;
        _result = result;
        _allowedLateness = (long)allowedLateness.TotalMilliseconds;
        _lateDataTag = lateDataTag;
        _collector = new TimestampedCollector<TOut>(output);
    }

    public TimeWindow Window { get; private set; }

    public long CurrentWatermark => _timers.CurrentWatermark;

    public long CurrentProcessingTime => _timers.CurrentProcessingTime;

    /// <summary>The window function's lifecycle is the operator's; a pre-aggregating function's too (see Open/Close).</summary>
    protected override object? UserFunction => _result.UserFunction ?? _contents.UserFunction;

    private object? SecondaryFunction => _result.UserFunction is null ? null : _contents.UserFunction;

    public override void Open()
    {
        var owner = $"Operator '{Context.OperatorName}' (uid '{Context.OperatorUid}'), window contents";
        var serializer = _contents.CreateSerializer(owner);
        _windows = Backend.Table<Dictionary<TimeWindow, TAcc>>(
            "_window-contents",
            (windows, writer) =>
            {
                writer.Write(windows.Count);
                foreach (var (window, contents) in windows)
                {
                    TimeWindowSerializer.Instance.Serialize(window, writer);
                    serializer.Serialize(contents, writer);
                }
            },
            reader =>
            {
                var count = reader.ReadInt32();
                var windows = new Dictionary<TimeWindow, TAcc>(count);
                for (var i = 0; i < count; i++)
                {
                    var window = TimeWindowSerializer.Instance.Deserialize(reader);
                    windows[window] = serializer.Deserialize(reader);
                }

                return windows;
            });
        _timers = new InternalTimerService<TKey, TimeWindow>("window-timers", Backend, TimeWindowSerializer.Instance, Context.ProcessingTime, this);
        _lateDrops = new LateElementDrops(Context, Context.LoggerFactory.CreateLogger<WindowOperator<TKey, TIn, TAcc, TOut>>(), " Keep them with SideOutputLateData or AllowedLateness.");
        if (SecondaryFunction is IRichFunction rich)
        {
            rich.Open(Context);
        }

        base.Open();
    }

    public override void Close()
    {
        base.Close();
        if (SecondaryFunction is IRichFunction rich)
        {
            rich.Close();
        }
    }

    public override void ProcessWatermark(long watermark)
    {
        _timers.AdvanceWatermark(watermark);
        Output.EmitWatermark(watermark);
    }

    public void OnEventTime(TKey key, TimeWindow window, long time)
    {
        if (_eventTime)
        {
            OnTimer(key, window, time);
        }
    }

    public void OnProcessingTime(TKey key, TimeWindow window, long time)
    {
        if (!_eventTime)
        {
            OnTimer(key, window, time);
        }
    }

    void IWindowFiring.Output<TSide>(Api.OutputTag<TSide> tag, TSide value) => Context.SideOutput(tag)?.Collect(value, Window.MaxTimestamp);

    protected override void ProcessKeyed(TIn value, long timestamp)
    {
        long time;
        if (_eventTime)
        {
            if (timestamp == RecordBatch<TIn>.NoTimestamp)
            {
                throw new InvalidOperationException(
                    $"Operator '{Context.OperatorName}': an element without a timestamp reached an event-time window. Assign timestamps first " +
                    "(AssignTimestampsAndWatermarks, or a source that sets them, such as the Kafka source), or use a processing-time window.");
            }

            time = timestamp;
        }
        else
        {
            time = Context.ProcessingTime.Now;
        }

        bool added;
        if (_assigner.TryAssignSingleWindow(time, out var single))
        {
            // Tumbling windows: one window per element, no list to fill and walk.
            added = !IsLate(single) && AddToWindow(WindowsOfCurrentKey(), single, value);
        }
        else
        {
            _assigned.Clear();
            _assigner.AssignWindows(time, _assigned);
            added = _assigner.IsMerging ? AddToSession(value) : AddToWindows(value);
        }

        if (!added)
        {
            OnLateElement(value, timestamp);
        }
    }

    private bool AddToWindows(TIn value)
    {
        Dictionary<TimeWindow, TAcc>? windows = null;
        var added = false;
        foreach (var window in _assigned)
        {
            if (!IsLate(window))
            {
                added = AddToWindow(windows ??= WindowsOfCurrentKey(), window, value);
            }
        }

        return added;
    }

    /// <summary>The open windows of the current key, created empty on first use.</summary>
    private Dictionary<TimeWindow, TAcc> WindowsOfCurrentKey()
    {
        ref var windows = ref CollectionsMarshal.GetValueRefOrAddDefault(_windows.ByKey, Backend.CurrentKey, out _);
        return windows ??= [];
    }

    private bool AddToWindow(Dictionary<TimeWindow, TAcc> windows, TimeWindow window, TIn value)
    {
        // One hash lookup for read and write; nothing else touches this dictionary until the
        // reference is used up.
        ref var slot = ref CollectionsMarshal.GetValueRefOrAddDefault(windows, window, out var exists);
        var contents = _contents.Add(slot!, exists, value);
        slot = contents;
        if (!exists)
        {
            RegisterTimers(window);
        }

        FireIfWatermarkPassed(Backend.CurrentKey, window, contents);
        return true;
    }

    /// <summary>Adds the element's session window, merging every window of the key it touches.</summary>
    private bool AddToSession(TIn value)
    {
        var key = Backend.CurrentKey;
        _windows.ByKey.TryGetValue(key, out var windows);
        var session = _assigned[0];
        _merged.Clear();
        if (windows is not null)
        {
            foreach (var existing in windows.Keys)
            {
                if (existing.Intersects(session))
                {
                    _merged.Add(existing);
                    session = session.Cover(existing);
                }
            }
        }

        if (IsLate(session))
        {
            return false;
        }

        windows ??= WindowsOfCurrentKey();
        TAcc contents = default!;
        var exists = false;
        foreach (var old in _merged)
        {
            var oldContents = windows[old];
            contents = exists ? _contents.Merge(contents, oldContents) : oldContents;
            exists = true;
            windows.Remove(old);
            DeleteTimers(old);
        }

        contents = _contents.Add(contents, exists, value);
        windows[session] = contents;
        RegisterTimers(session);
        FireIfWatermarkPassed(key, session, contents);
        return true;
    }

    private void FireIfWatermarkPassed(TKey key, TimeWindow window, TAcc contents)
    {
        // Late but within the allowed lateness: the window fires again, now with this element.
        if (_eventTime && window.MaxTimestamp <= _timers.CurrentWatermark)
        {
            Fire(key, window, contents);
        }
    }

    private void OnTimer(TKey key, TimeWindow window, long time)
    {
        var byKey = _windows.ByKey;
        if (!byKey.TryGetValue(key, out var windows) || !windows.TryGetValue(window, out var contents))
        {
            return;
        }

        if (time == window.MaxTimestamp)
        {
            Fire(key, window, contents);
        }

        if (time == CleanupTime(window))
        {
            windows.Remove(window);
            if (windows.Count == 0)
            {
                byKey.Remove(key);
            }
        }
    }

    private void Fire(TKey key, TimeWindow window, TAcc contents)
    {
        Window = window;
        _collector.Timestamp = window.MaxTimestamp;
        _result.Emit(key, contents, this, _collector);
    }

    private void OnLateElement(TIn value, long timestamp)
    {
        if (_lateDataTag is not null && Context.SideOutput(_lateDataTag) is { } side)
        {
            side.Collect(value, timestamp);
            return;
        }

        _lateDrops.Dropped(timestamp, _timers.CurrentWatermark);
    }

    private bool IsLate(TimeWindow window) => _eventTime && CleanupTime(window) <= _timers.CurrentWatermark;

    /// <summary>When the window's state goes: at its end for processing time; after the allowed lateness for event time.</summary>
    private long CleanupTime(TimeWindow window)
    {
        if (!_eventTime)
        {
            return window.MaxTimestamp;
        }

        var cleanup = window.MaxTimestamp + _allowedLateness;
        return cleanup >= window.MaxTimestamp ? cleanup : long.MaxValue;
    }

    private void RegisterTimers(TimeWindow window)
    {
        if (_eventTime)
        {
            _timers.RegisterEventTimeTimer(window, window.MaxTimestamp);
            _timers.RegisterEventTimeTimer(window, CleanupTime(window));
        }
        else
        {
            _timers.RegisterProcessingTimeTimer(window, window.MaxTimestamp);
        }
    }

    private void DeleteTimers(TimeWindow window)
    {
        if (_eventTime)
        {
            _timers.DeleteEventTimeTimer(window, window.MaxTimestamp);
            _timers.DeleteEventTimeTimer(window, CleanupTime(window));
        }
        else
        {
            _timers.DeleteProcessingTimeTimer(window, window.MaxTimestamp);
        }
    }
}
