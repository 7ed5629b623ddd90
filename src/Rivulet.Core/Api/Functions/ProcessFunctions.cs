using Rivulet.Core.Time;

namespace Rivulet.Core.Api.Functions;

/// <summary>The most general one-input function on a non-keyed stream.</summary>
public abstract class ProcessFunction<TIn, TOut>
{
    /// <summary>Called for every element; results emitted into <paramref name="output"/> carry the element's timestamp, and <paramref name="context"/> is valid only during the call.</summary>
    public abstract void ProcessElement(TIn value, ProcessContext context, ICollector<TOut> output);

    /// <summary>What a process function knows about the element at hand.</summary>
    public abstract class ProcessContext
    {
        /// <summary>The element's event timestamp, if it has one.</summary>
        public abstract long? Timestamp { get; }

        /// <summary>Processing time in Unix ms: the job's clock (<see cref="StreamExecutionEnvironment.SetTimeProvider"/>, the system clock by default).</summary>
        public abstract long CurrentProcessingTime { get; }

        /// <summary>The operator's current event-time watermark.</summary>
        public abstract long CurrentWatermark { get; }

        /// <summary>Emits to a side output (read with <see cref="DataStream{T}.GetSideOutput{TSide}"/>), with the element's timestamp.</summary>
        public abstract void Output<TSide>(OutputTag<TSide> tag, TSide value);
    }
}

/// <summary>
/// A function on a keyed stream with access to the key's state and timers (Flink's
/// <c>KeyedProcessFunction</c>). Keyed state obtained from the runtime context in Open always
/// refers to the key of the element (or timer) at hand.
/// </summary>
public abstract class KeyedProcessFunction<TKey, TIn, TOut>
{
    /// <summary>
    /// Called for every element, with its key current (keyed state and timers refer to it); results
    /// emitted into <paramref name="output"/> carry the element's timestamp.
    /// </summary>
    public abstract void ProcessElement(TIn value, Context context, ICollector<TOut> output);

    /// <summary>
    /// A timer registered through <see cref="Context.TimerService"/> fired. Records emitted here
    /// carry the timer's time as timestamp for event-time timers, none for processing-time timers.
    /// </summary>
    public virtual void OnTimer(long timestamp, OnTimerContext context, ICollector<TOut> output)
    {
    }

    /// <summary>What a keyed process function knows about the element at hand.</summary>
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
