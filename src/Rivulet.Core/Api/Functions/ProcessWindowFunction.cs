using Rivulet.Core.State;
using Rivulet.Core.Time.Windows;

namespace Rivulet.Core.Api.Functions;

/// <summary>
/// Computes a window's result with access to the window and its key (Flink's
/// <c>ProcessWindowFunction</c>). Alone, it sees every element of the window; after a Reduce or
/// Aggregate, only the one pre-aggregated value.
/// </summary>
public abstract class ProcessWindowFunction<TIn, TOut, TKey>
{
    /// <summary>
    /// Called when a window of <paramref name="key"/> fires, with its elements (or the one pre-aggregated
    /// value); results emitted into <paramref name="output"/> carry the window's max timestamp.
    /// </summary>
    public abstract void Process(TKey key, Context context, IEnumerable<TIn> elements, ICollector<TOut> output);

    /// <summary>
    /// Called when a window is removed (its cleanup time passed; Flink's <c>clear</c>): delete what
    /// the function kept in <see cref="Context.WindowState"/> for it — that state is not removed otherwise.
    /// </summary>
    public virtual void Clear(Context context)
    {
    }

    /// <summary>What the function knows when a window fires.</summary>
    public abstract class Context
    {
        /// <summary>The window that fired.</summary>
        public abstract TimeWindow Window { get; }

        /// <summary>The operator's current event-time watermark.</summary>
        public abstract long CurrentWatermark { get; }

        /// <summary>Processing time in Unix ms: the job's clock (<see cref="StreamExecutionEnvironment.SetTimeProvider"/>, the system clock by default).</summary>
        public abstract long CurrentProcessingTime { get; }

        /// <summary>Emits to a side output, with the window's max timestamp.</summary>
        public abstract void Output<TSide>(OutputTag<TSide> tag, TSide value);

        /// <summary>
        /// State of this key and window (Flink's <c>windowState()</c>), e.g. to tell a late firing
        /// from the first; checkpointed. Delete it in <see cref="Clear"/>.
        /// </summary>
        /// <exception cref="NotSupportedException">The windows merge (session windows): a merged window's state could not be carried over, as in Flink.</exception>
        public abstract IKeyedStateStore WindowState { get; }

        /// <summary>State of this key across all its windows (Flink's <c>globalState()</c>): the operator's keyed state, checkpointed.</summary>
        public abstract IKeyedStateStore GlobalState { get; }
    }
}
