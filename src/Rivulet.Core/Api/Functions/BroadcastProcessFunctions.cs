using Rivulet.Core.State;
using Rivulet.Core.Time;

namespace Rivulet.Core.Api.Functions;

/// <summary>
/// Processes a non-keyed stream connected with a broadcast stream (Flink's <c>BroadcastProcessFunction</c>,
/// the "broadcast state pattern"): every subtask receives every broadcast element and keeps the same
/// broadcast state, which the other input reads.
/// </summary>
public abstract class BroadcastProcessFunction<TIn1, TIn2, TOut>
{
    /// <summary>Called for every element of the non-broadcast input; it may read, not change, the broadcast state.</summary>
    public abstract void ProcessElement(TIn1 value, ReadOnlyContext context, ICollector<TOut> output);

    /// <summary>
    /// Called on every subtask for every broadcast element; it may change the broadcast state, and must
    /// change it alike on every subtask (the copies are restored interchangeably).
    /// </summary>
    public abstract void ProcessBroadcastElement(TIn2 value, Context context, ICollector<TOut> output);

    /// <summary>What both sides see: the element's timestamp, the clocks, side outputs.</summary>
    public abstract class BaseContext
    {
        /// <summary>The element's event timestamp, if it has one.</summary>
        public abstract long? Timestamp { get; }

        /// <summary>Processing time in Unix ms: the job's clock (<see cref="StreamExecutionEnvironment.SetTimeProvider"/>, the system clock by default).</summary>
        public abstract long CurrentProcessingTime { get; }

        /// <summary>The operator's event-time watermark: the minimum of both inputs' watermarks.</summary>
        public abstract long CurrentWatermark { get; }

        /// <summary>Emits to a side output (read with <see cref="DataStream{T}.GetSideOutput{TSide}"/>), with the element's timestamp.</summary>
        public abstract void Output<TSide>(OutputTag<TSide> tag, TSide value);
    }

    /// <summary>The non-broadcast side's context: broadcast state read-only.</summary>
    public abstract class ReadOnlyContext : BaseContext
    {
        /// <summary>The broadcast state <paramref name="descriptor"/> names, read-only.</summary>
        /// <exception cref="InvalidOperationException">The broadcast stream was not made with this descriptor.</exception>
        public abstract IReadOnlyBroadcastState<TKey, TValue> GetBroadcastState<TKey, TValue>(MapStateDescriptor<TKey, TValue> descriptor)
            where TKey : notnull;
    }

    /// <summary>The broadcast side's context: broadcast state read-write.</summary>
    public abstract class Context : BaseContext
    {
        /// <summary>The broadcast state <paramref name="descriptor"/> names, read-write.</summary>
        /// <exception cref="InvalidOperationException">The broadcast stream was not made with this descriptor.</exception>
        public abstract IBroadcastState<TKey, TValue> GetBroadcastState<TKey, TValue>(MapStateDescriptor<TKey, TValue> descriptor)
            where TKey : notnull;
    }
}

/// <summary>
/// Processes a keyed stream connected with a broadcast stream (Flink's <c>KeyedBroadcastProcessFunction</c>):
/// keyed elements see their key's state, timers and the broadcast state read-only; broadcast elements
/// change the broadcast state on every subtask and may visit every key's state (<see cref="Context.ApplyToKeyedState{T}(ValueStateDescriptor{T}, Action{TKey, IValueState{T}})"/>).
/// </summary>
public abstract class KeyedBroadcastProcessFunction<TKey, TIn1, TIn2, TOut>
    where TKey : notnull
{
    /// <summary>Called for every element of the keyed input, with its key current; it may read, not change, the broadcast state.</summary>
    public abstract void ProcessElement(TIn1 value, ReadOnlyContext context, ICollector<TOut> output);

    /// <summary>
    /// Called on every subtask for every broadcast element, without a current key; it may change the
    /// broadcast state, and must change it alike on every subtask.
    /// </summary>
    public abstract void ProcessBroadcastElement(TIn2 value, Context context, ICollector<TOut> output);

    /// <summary>A timer registered through <see cref="ReadOnlyContext.TimerService"/> fired, with its key current.</summary>
    public virtual void OnTimer(long timestamp, OnTimerContext context, ICollector<TOut> output)
    {
    }

    /// <summary>What both sides see: the element's timestamp, the clocks, side outputs.</summary>
    public abstract class BaseContext
    {
        /// <summary>The element's (or, in OnTimer, the event-time timer's) timestamp, if any.</summary>
        public abstract long? Timestamp { get; }

        /// <summary>Processing time in Unix ms: the job's clock (<see cref="StreamExecutionEnvironment.SetTimeProvider"/>, the system clock by default).</summary>
        public abstract long CurrentProcessingTime { get; }

        /// <summary>The operator's event-time watermark: the minimum of both inputs' watermarks.</summary>
        public abstract long CurrentWatermark { get; }

        /// <summary>Emits to a side output (read with <see cref="DataStream{T}.GetSideOutput{TSide}"/>), with the element's timestamp.</summary>
        public abstract void Output<TSide>(OutputTag<TSide> tag, TSide value);
    }

    /// <summary>The keyed side's context: the key, its timers, broadcast state read-only.</summary>
    public abstract class ReadOnlyContext : BaseContext
    {
        /// <summary>The key of the element (or timer) at hand.</summary>
        public abstract TKey CurrentKey { get; }

        /// <summary>Timers of the current key.</summary>
        public abstract ITimerService TimerService { get; }

        /// <summary>The broadcast state <paramref name="descriptor"/> names, read-only.</summary>
        /// <exception cref="InvalidOperationException">The broadcast stream was not made with this descriptor.</exception>
        public abstract IReadOnlyBroadcastState<TMapKey, TValue> GetBroadcastState<TMapKey, TValue>(MapStateDescriptor<TMapKey, TValue> descriptor)
            where TMapKey : notnull;
    }

    /// <summary>The context of <see cref="OnTimer"/>: also says which clock fired.</summary>
    public abstract class OnTimerContext : ReadOnlyContext
    {
        /// <summary>Whether an event-time or a processing-time timer fired.</summary>
        public abstract TimeDomain TimeDomain { get; }
    }

    /// <summary>The broadcast side's context: broadcast state read-write, and every key's state of this subtask.</summary>
    public abstract class Context : BaseContext
    {
        /// <summary>The broadcast state <paramref name="descriptor"/> names, read-write.</summary>
        /// <exception cref="InvalidOperationException">The broadcast stream was not made with this descriptor.</exception>
        public abstract IBroadcastState<TMapKey, TValue> GetBroadcastState<TMapKey, TValue>(MapStateDescriptor<TMapKey, TValue> descriptor)
            where TMapKey : notnull;

        /// <summary>Calls <paramref name="function"/> with each key of this subtask that has a value in the state <paramref name="descriptor"/> names, that key current (Flink's <c>applyToKeyedState</c>).</summary>
        public abstract void ApplyToKeyedState<T>(ValueStateDescriptor<T> descriptor, Action<TKey, IValueState<T>> function);

        /// <summary>Calls <paramref name="function"/> with each key of this subtask that has a list in the state <paramref name="descriptor"/> names, that key current.</summary>
        public abstract void ApplyToKeyedState<T>(ListStateDescriptor<T> descriptor, Action<TKey, IListState<T>> function);

        /// <summary>Calls <paramref name="function"/> with each key of this subtask that has a map in the state <paramref name="descriptor"/> names, that key current.</summary>
        public abstract void ApplyToKeyedState<TMapKey, TValue>(MapStateDescriptor<TMapKey, TValue> descriptor, Action<TKey, IMapState<TMapKey, TValue>> function)
            where TMapKey : notnull;
    }
}
