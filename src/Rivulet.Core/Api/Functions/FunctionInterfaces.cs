namespace Rivulet.Core.Api.Functions;

/// <summary>One element in, one out (Flink's <c>MapFunction</c>).</summary>
public interface IMapFunction<in TIn, out TOut>
{
    TOut Map(TIn value);
}

/// <summary>One element in, any number out (Flink's <c>FlatMapFunction</c>).</summary>
public interface IFlatMapFunction<in TIn, out TOut>
{
    void FlatMap(TIn value, ICollector<TOut> output);
}

/// <summary>Keeps the elements for which it returns true.</summary>
public interface IFilterFunction<in T>
{
    bool Filter(T value);
}

/// <summary>Combines two values of a key into one (Flink's <c>ReduceFunction</c>).</summary>
public interface IReduceFunction<T>
{
    T Reduce(T accumulated, T value);
}

/// <summary>Where a function emits its results.</summary>
public interface ICollector<in T>
{
    void Collect(T value);
}

/// <summary>A function with a lifecycle: <see cref="Open"/> before the first element, <see cref="Close"/> after the last.</summary>
public interface IRichFunction
{
    void Open(IRuntimeContext context);

    void Close();
}

/// <summary>
/// A function that keeps state in checkpoints itself (Flink's <c>CheckpointedFunction</c>):
/// <see cref="InitializeState"/> runs before <see cref="IRichFunction.Open"/> (also on restore),
/// <see cref="SnapshotState"/> at every checkpoint, on the subtask's own loop.
/// </summary>
public interface ICheckpointedFunction
{
    void SnapshotState(IFunctionSnapshotContext context);

    void InitializeState(IFunctionInitializationContext context);
}

/// <summary>Told when a checkpoint completed (its state is durable) or was aborted.</summary>
public interface ICheckpointListener
{
    void NotifyCheckpointComplete(long checkpointId);

    void NotifyCheckpointAborted(long checkpointId)
    {
    }
}

/// <summary>Told when its input has ended for good (a bounded job finishing), before Close.</summary>
public interface IBoundedInput
{
    void EndInput();
}
