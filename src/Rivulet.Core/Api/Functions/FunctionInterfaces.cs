namespace Rivulet.Core.Api.Functions;

/// <summary>One element in, one out (Flink's <c>MapFunction</c>).</summary>
public interface IMapFunction<in TIn, out TOut>
{
    /// <summary>Returns the result for <paramref name="value"/>; the result keeps the element's timestamp.</summary>
    TOut Map(TIn value);
}

/// <summary>One element in, any number out (Flink's <c>FlatMapFunction</c>).</summary>
public interface IFlatMapFunction<in TIn, out TOut>
{
    /// <summary>Emits zero or more results for <paramref name="value"/> into <paramref name="output"/>.</summary>
    void FlatMap(TIn value, ICollector<TOut> output);
}

/// <summary>
/// One element of either of two connected streams in, one out (Flink's <c>CoMapFunction</c>):
/// <see cref="Map1"/> for the first input, <see cref="Map2"/> for the second. Both run on the
/// subtask's own loop, never at the same time, so they may share the function's fields.
/// </summary>
public interface ICoMapFunction<in T1, in T2, out TOut>
{
    /// <summary>Returns the result for an element of the first input; it keeps the element's timestamp.</summary>
    TOut Map1(T1 value);

    /// <summary>Returns the result for an element of the second input; it keeps the element's timestamp.</summary>
    TOut Map2(T2 value);
}

/// <summary>
/// One element of either of two connected streams in, any number out (Flink's <c>CoFlatMapFunction</c>).
/// Both methods run on the subtask's own loop, never at the same time.
/// </summary>
public interface ICoFlatMapFunction<in T1, in T2, out TOut>
{
    /// <summary>Emits zero or more results for an element of the first input.</summary>
    void FlatMap1(T1 value, ICollector<TOut> output);

    /// <summary>Emits zero or more results for an element of the second input.</summary>
    void FlatMap2(T2 value, ICollector<TOut> output);
}

/// <summary>Combines a pair of elements with the same key in the same window (Flink's <c>JoinFunction</c>, for window joins).</summary>
public interface IJoinFunction<in T1, in T2, out TOut>
{
    /// <summary>Returns the result for one pair: an element of the first stream and one of the second.</summary>
    TOut Join(T1 first, T2 second);
}

/// <summary>
/// Sees all elements of both streams with the same key in the same window at once (Flink's
/// <c>CoGroupFunction</c>): either side may be empty, so outer joins can be written with it.
/// </summary>
public interface ICoGroupFunction<in T1, in T2, out TOut>
{
    /// <summary>Emits zero or more results for a key's window: its elements of the first stream and of the second.</summary>
    void CoGroup(IEnumerable<T1> first, IEnumerable<T2> second, ICollector<TOut> output);
}

/// <summary>Keeps the elements for which it returns true.</summary>
public interface IFilterFunction<in T>
{
    /// <summary>Returns true to keep <paramref name="value"/>, false to drop it.</summary>
    bool Filter(T value);
}

/// <summary>Combines two values of a key into one (Flink's <c>ReduceFunction</c>).</summary>
public interface IReduceFunction<T>
{
    /// <summary>
    /// Combines <paramref name="accumulated"/>, the value reduced so far, with <paramref name="value"/>; the
    /// first element of a key (or window) becomes the reduced value without a call.
    /// </summary>
    T Reduce(T accumulated, T value);
}

/// <summary>Where a function emits its results.</summary>
public interface ICollector<in T>
{
    /// <summary>Emits <paramref name="value"/> to the next operator.</summary>
    void Collect(T value);
}

/// <summary>A function with a lifecycle: <see cref="Open"/> before the first element, <see cref="Close"/> after the last.</summary>
public interface IRichFunction
{
    /// <summary>
    /// Called once per subtask and run attempt, after <see cref="ICheckpointedFunction.InitializeState"/>
    /// and before the first element: set up connections and per-instance state, and get keyed state here.
    /// </summary>
    void Open(IRuntimeContext context);

    /// <summary>
    /// Called after the last element when the job finishes, and also when it fails or is cancelled unless
    /// the function is <see cref="IDisposable"/> (then <see cref="IDisposable.Dispose"/> is called instead).
    /// </summary>
    void Close();
}

/// <summary>
/// A function that keeps state in checkpoints itself (Flink's <c>CheckpointedFunction</c>):
/// <see cref="InitializeState"/> runs before <see cref="IRichFunction.Open"/> (also on restore),
/// <see cref="SnapshotState"/> at every checkpoint, on the subtask's own loop.
/// </summary>
public interface ICheckpointedFunction
{
    /// <summary>Called at every checkpoint and savepoint: put the function's current state into the state obtained in <see cref="InitializeState"/>.</summary>
    void SnapshotState(IFunctionSnapshotContext context);

    /// <summary>
    /// Called on every start and restart: obtain the function's state from <paramref name="context"/> and,
    /// when <see cref="IFunctionInitializationContext.IsRestored"/>, read back what was checkpointed.
    /// </summary>
    void InitializeState(IFunctionInitializationContext context);
}

/// <summary>Told when a checkpoint completed (its state is durable) or was aborted.</summary>
public interface ICheckpointListener
{
    /// <summary>
    /// Checkpoint (or savepoint) <paramref name="checkpointId"/> is complete and durable: the place to commit
    /// side effects (Flink's <c>notifyCheckpointComplete</c>). Runs on the subtask's own loop; it is not
    /// delivered when the job fails first.
    /// </summary>
    void NotifyCheckpointComplete(long checkpointId);

    /// <summary>Checkpoint <paramref name="checkpointId"/> failed or timed out and will not complete; does nothing by default.</summary>
    void NotifyCheckpointAborted(long checkpointId)
    {
    }
}

/// <summary>Told when its input has ended for good (a bounded job finishing), before Close.</summary>
public interface IBoundedInput
{
    /// <summary>Called once when the input has ended, before the final checkpoint and Close; not called when the job is cancelled or fails.</summary>
    void EndInput();
}
