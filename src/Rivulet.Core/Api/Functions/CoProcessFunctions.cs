using Rivulet.Core.Time;

namespace Rivulet.Core.Api.Functions;

/// <summary>
/// The most general function on two connected, non-keyed streams (Flink's <c>CoProcessFunction</c>):
/// one method per input, both on the subtask's own loop, never at the same time. For keyed state and
/// timers, key both inputs (<see cref="ConnectedStreams{T1, T2}.KeyBy{TKey}"/>) and use a
/// <see cref="KeyedCoProcessFunction{TKey, T1, T2, TOut}"/>.
/// </summary>
public abstract class CoProcessFunction<T1, T2, TOut>
{
    /// <summary>Called for every element of the first input; results carry the element's timestamp.</summary>
    public abstract void ProcessElement1(T1 value, Context context, ICollector<TOut> output);

    /// <summary>Called for every element of the second input; results carry the element's timestamp.</summary>
    public abstract void ProcessElement2(T2 value, Context context, ICollector<TOut> output);

    /// <summary>What a co-process function knows about the element at hand; valid only during the call.</summary>
    public abstract class Context
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
}

/// <summary>
/// A function on two connected streams keyed alike (Flink's <c>KeyedCoProcessFunction</c>): elements of
/// both inputs with the same key reach the same subtask with that key current, so keyed state obtained
/// from the runtime context in Open and timers are shared by both inputs.
/// </summary>
public abstract class KeyedCoProcessFunction<TKey, T1, T2, TOut>
{
    /// <summary>Called for every element of the first input with its key current; results carry the element's timestamp.</summary>
    public abstract void ProcessElement1(T1 value, Context context, ICollector<TOut> output);

    /// <summary>Called for every element of the second input with its key current; results carry the element's timestamp.</summary>
    public abstract void ProcessElement2(T2 value, Context context, ICollector<TOut> output);

    /// <summary>
    /// A timer registered through <see cref="Context.TimerService"/> fired, with its key current. Records
    /// emitted here carry the timer's time as timestamp for event-time timers, none for processing-time timers.
    /// </summary>
    public virtual void OnTimer(long timestamp, OnTimerContext context, ICollector<TOut> output)
    {
    }

    /// <summary>What a keyed co-process function knows about the element at hand; valid only during the call.</summary>
    public abstract class Context
    {
        /// <summary>The key of the element (or timer) at hand.</summary>
        public abstract TKey CurrentKey { get; }

        /// <summary>The element's (or, in OnTimer, the event-time timer's) timestamp, if any.</summary>
        public abstract long? Timestamp { get; }

        /// <summary>Processing time in Unix ms: the job's clock (<see cref="StreamExecutionEnvironment.SetTimeProvider"/>, the system clock by default).</summary>
        public abstract long CurrentProcessingTime { get; }

        /// <summary>Timers of the current key.</summary>
        public abstract ITimerService TimerService { get; }

        /// <summary>Emits to a side output (read with <see cref="DataStream{T}.GetSideOutput{TSide}"/>).</summary>
        public abstract void Output<TSide>(OutputTag<TSide> tag, TSide value);
    }

    /// <summary>The context of <see cref="OnTimer"/>: also says which clock fired.</summary>
    public abstract class OnTimerContext : Context
    {
        /// <summary>Whether an event-time or a processing-time timer fired.</summary>
        public abstract TimeDomain TimeDomain { get; }
    }
}
