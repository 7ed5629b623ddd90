using Rivulet.Core.Api.Functions;
using Rivulet.Core.Runtime;
using Rivulet.Core.Runtime.Operators;

namespace Rivulet.Core.Api;

/// <summary>
/// Asynchronous I/O (Flink's <c>AsyncDataStream</c>): an operator that keeps up to <c>capacity</c> calls
/// of an <see cref="IAsyncFunction{TIn, TOut}"/> in flight. A full queue backpressures the input; calls
/// in flight at a checkpoint are part of it and are issued again after a restore, so every element's
/// results reach the output exactly once in the checkpointed state.
/// </summary>
public static class AsyncDataStream
{
    /// <summary>Results leave in the order of their input elements (Flink's <c>orderedWait</c>).</summary>
    /// <param name="input">The stream whose elements are looked up.</param>
    /// <param name="function">The function; each parallel subtask runs its own (shallow) copy.</param>
    /// <param name="timeout">How long one call may take before <see cref="IAsyncFunction{TIn, TOut}.Timeout"/> decides.</param>
    /// <param name="capacity">Calls in flight per subtask; when all are taken, the input waits.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="timeout"/> is not positive, or <paramref name="capacity"/> is below 1.</exception>
    public static DataStream<TOut> OrderedWait<TIn, TOut>(DataStream<TIn> input, IAsyncFunction<TIn, TOut> function, TimeSpan timeout, int capacity = 100) =>
        Wait(input, function, timeout, capacity, ordered: true);

    /// <summary>
    /// Results leave as soon as their call completes, but never across a watermark (Flink's <c>unorderedWait</c>):
    /// elements between two watermarks may be reordered, the watermarks keep their place.
    /// </summary>
    /// <param name="input">The stream whose elements are looked up.</param>
    /// <param name="function">The function; each parallel subtask runs its own (shallow) copy.</param>
    /// <param name="timeout">How long one call may take before <see cref="IAsyncFunction{TIn, TOut}.Timeout"/> decides.</param>
    /// <param name="capacity">Calls in flight per subtask; when all are taken, the input waits.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="timeout"/> is not positive, or <paramref name="capacity"/> is below 1.</exception>
    public static DataStream<TOut> UnorderedWait<TIn, TOut>(DataStream<TIn> input, IAsyncFunction<TIn, TOut> function, TimeSpan timeout, int capacity = 100) =>
        Wait(input, function, timeout, capacity, ordered: false);

    private static DataStream<TOut> Wait<TIn, TOut>(DataStream<TIn> input, IAsyncFunction<TIn, TOut> function, TimeSpan timeout, int capacity, bool ordered)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(function);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(timeout, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        return input.Then<TOut>(ordered ? "Async Wait (ordered)" : "Async Wait (unordered)",
            output => new AsyncWaitOperator<TIn, TOut>(FunctionCloner.Clone(function), timeout, capacity, ordered, output));
    }
}
