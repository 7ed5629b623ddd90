using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;
using Rivulet.Core.Api.Functions;
using Rivulet.Core.Runtime.IO;
using Rivulet.Core.Runtime.Timers;
using Rivulet.Core.State;
using Rivulet.Core.Time.Windows;

namespace Rivulet.Core.Runtime.Operators.Windowing;

/// <summary>
/// What every keyed window operator shares: per key the open windows and their contents (keyed
/// state), timers namespaced by window, late-element handling, and firing a window into the
/// window's function. Subclasses decide when windows fire and go.
/// </summary>
internal abstract class WindowOperatorBase<TKey, TIn, TAcc, TOut> : KeyedOneInputOperator<TKey, TIn, TOut>, ITimerTarget<TKey, TimeWindow>, IWindowFiring
    where TKey : notnull
{
    private readonly long _allowedLateness;
    private readonly Api.OutputTag<TIn>? _lateDataTag;
    private readonly TimestampedCollector<TOut> _collector;
    private HeapKeyedStateBackend<WindowedKey<TKey>>? _windowState;
    private LateElementDrops _lateDrops = null!;

    protected WindowOperatorBase(Func<TIn, TKey> keySelector, WindowAssigner assigner, WindowContents<TIn, TAcc> contents, WindowResult<TAcc, TOut, TKey> result,
        TimeSpan allowedLateness, Api.OutputTag<TIn>? lateDataTag, IOutput<TOut> output)
        : base(keySelector, output)
    {
        Assigner = assigner;
        EventTime = assigner.IsEventTime;
        Contents = contents;
        Result = result;
        _allowedLateness = (long)allowedLateness.TotalMilliseconds;
        _lateDataTag = lateDataTag;
        _collector = new TimestampedCollector<TOut>(output);
    }

    public TimeWindow Window { get; private set; }

    public long CurrentWatermark => Timers.CurrentWatermark;

    public long CurrentProcessingTime => Timers.CurrentProcessingTime;

    public IKeyedStateStore WindowState
    {
        get
        {
            if (Assigner.IsMerging)
            {
                throw new NotSupportedException(
                    $"Operator '{Context.OperatorName}': per-window state is not supported with merging (session) windows — a merged window's state could not be carried over (as in Flink). Use GlobalState.");
            }

            if (_windowState is null)
            {
                _windowState = WindowScopedBackend("window state");
                _windowState.SetCurrentKey(new WindowedKey<TKey>(Backend.CurrentKey, Window));
            }

            return _windowState;
        }
    }

    public IKeyedStateStore GlobalState => Backend;

    protected WindowAssigner Assigner { get; }

    protected bool EventTime { get; }

    protected WindowContents<TIn, TAcc> Contents { get; }

    protected WindowResult<TAcc, TOut, TKey> Result { get; }

    /// <summary>Per key, its open windows and their contents.</summary>
    protected KeyedStateTable<TKey, Dictionary<TimeWindow, TAcc>> Windows { get; private set; } = null!;

    protected InternalTimerService<TKey, TimeWindow> Timers { get; private set; } = null!;

    /// <summary>The window function's lifecycle is the operator's; a pre-aggregating function's too (see Open/Close).</summary>
    protected override object? UserFunction => Result.UserFunction ?? Contents.UserFunction;

    private object? SecondaryFunction => Result.UserFunction is null ? null : Contents.UserFunction;

    public override void Open()
    {
        var owner = $"Operator '{Context.OperatorName}' (uid '{Context.OperatorUid}'), window contents";
        var serializer = Contents.CreateSerializer(owner);
        Windows = Backend.Table<Dictionary<TimeWindow, TAcc>>(
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
        Timers = new InternalTimerService<TKey, TimeWindow>("window-timers", Backend, TimeWindowSerializer.Instance, Context.ProcessingTime, this);
        _lateDrops = new LateElementDrops(Context, Context.LoggerFactory.CreateLogger(GetType()), " Keep them with SideOutputLateData or AllowedLateness.");
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
        Timers.AdvanceWatermark(watermark);
        Output.EmitWatermark(watermark);
    }

    public abstract void OnEventTime(TKey key, TimeWindow window, long time);

    public abstract void OnProcessingTime(TKey key, TimeWindow window, long time);

    void IWindowFiring.Output<TSide>(Api.OutputTag<TSide> tag, TSide value) => Context.SideOutput(tag)?.Collect(value, Window.MaxTimestamp);

    protected sealed override void ProcessKeyed(TIn value, long timestamp)
    {
        long time;
        if (EventTime)
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

        if (!ProcessInWindows(value, timestamp, time))
        {
            OnLateElement(value, timestamp);
        }
    }

    /// <summary>Adds the element to its windows (assigned at <paramref name="time"/>); false when every one of them was late.</summary>
    protected abstract bool ProcessInWindows(TIn value, long timestamp, long time);

    /// <summary>The open windows of the current key, created empty on first use.</summary>
    protected Dictionary<TimeWindow, TAcc> WindowsOfCurrentKey()
    {
        ref var windows = ref CollectionsMarshal.GetValueRefOrAddDefault(Windows.ByKey, Backend.CurrentKey, out _);
        return windows ??= [];
    }

    /// <summary>Drops a window's contents, and the key's entry once it has no window left.</summary>
    protected void RemoveContents(TKey key, TimeWindow window)
    {
        var byKey = Windows.ByKey;
        if (byKey.TryGetValue(key, out var windows) && windows.Remove(window) && windows.Count == 0)
        {
            byKey.Remove(key);
        }
    }

    /// <summary>The existing windows of the key that <paramref name="session"/> touches, and the session covering them all.</summary>
    protected TimeWindow MergeTouching(Dictionary<TimeWindow, TAcc>? windows, TimeWindow session, List<TimeWindow> merged)
    {
        merged.Clear();
        if (windows is not null)
        {
            foreach (var existing in windows.Keys)
            {
                if (existing.Intersects(session))
                {
                    merged.Add(existing);
                    session = session.Cover(existing);
                }
            }
        }

        return session;
    }

    /// <summary>Moves the contents of <paramref name="merged"/> into one value (removing them); false when there were none.</summary>
    protected bool TakeMergedContents(Dictionary<TimeWindow, TAcc> windows, List<TimeWindow> merged, out TAcc contents)
    {
        contents = default!;
        var exists = false;
        foreach (var old in merged)
        {
            var oldContents = windows[old];
            contents = exists ? Contents.Merge(contents, oldContents) : oldContents;
            exists = true;
            windows.Remove(old);
        }

        return exists;
    }

    protected void Fire(TKey key, TimeWindow window, TAcc contents)
    {
        Window = window;
        _windowState?.SetCurrentKey(new WindowedKey<TKey>(key, window));
        _collector.Timestamp = window.MaxTimestamp;
        Result.Emit(key, contents, this, _collector);
    }

    /// <summary>The window is removed: the window function deletes its per-window state.</summary>
    protected void ClearWindowFunctionState(TKey key, TimeWindow window)
    {
        Window = window;
        _windowState?.SetCurrentKey(new WindowedKey<TKey>(key, window));
        Result.Clear(key, this);
    }

    protected bool IsLate(TimeWindow window) => EventTime && CleanupTime(window) <= Timers.CurrentWatermark;

    /// <summary>
    /// When the window's state goes: at its end for processing time; after the allowed lateness for
    /// event time; never for the global window (<see cref="long.MaxValue"/>: no cleanup timer).
    /// </summary>
    protected long CleanupTime(TimeWindow window)
    {
        if (window.MaxTimestamp == long.MaxValue)
        {
            return long.MaxValue;
        }

        if (!EventTime)
        {
            return window.MaxTimestamp;
        }

        var cleanup = window.MaxTimestamp + _allowedLateness;
        return cleanup >= window.MaxTimestamp ? cleanup : long.MaxValue;
    }

    /// <summary>State keyed by key and window, stored in this operator's snapshots under "(<paramref name="scope"/>)".</summary>
    protected HeapKeyedStateBackend<WindowedKey<TKey>> WindowScopedBackend(string scope) =>
        Backend.Scoped(scope, new WindowedKeySerializer<TKey>(Backend.KeySerializer), static k => k.Key);

    private void OnLateElement(TIn value, long timestamp)
    {
        if (_lateDataTag is not null && Context.SideOutput(_lateDataTag) is { } side)
        {
            side.Collect(value, timestamp);
            return;
        }

        _lateDrops.Dropped(timestamp, Timers.CurrentWatermark);
    }
}
