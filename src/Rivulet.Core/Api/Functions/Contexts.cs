using Microsoft.Extensions.Logging;
using Rivulet.Core.State;

namespace Rivulet.Core.Api.Functions;

/// <summary>Where a function runs: which subtask of how many, which attempt, and its keyed state.</summary>
public interface IRuntimeContext
{
    /// <summary>The name the job was started with.</summary>
    string JobName { get; }

    /// <summary>The operator's name: the one set with <c>Name(...)</c>, or its default (such as "Map").</summary>
    string OperatorName { get; }

    /// <summary>The id the operator's state is stored under: the one set with <c>Uid(...)</c>, or one derived from the operator's position and name.</summary>
    string OperatorUid { get; }

    /// <summary>0-based index of this parallel instance.</summary>
    int SubtaskIndex { get; }

    /// <summary>The operator's parallelism: how many subtasks run it.</summary>
    int NumberOfParallelSubtasks { get; }

    /// <summary>The job's max parallelism (its number of key groups), the upper bound for rescaling.</summary>
    int MaxNumberOfParallelSubtasks { get; }

    /// <summary>0 on the first run, +1 on each restart.</summary>
    int AttemptNumber { get; }

    /// <summary>Whether the job takes periodic checkpoints (sources then keep their position in state, not in auto-commits).</summary>
    bool IsCheckpointingEnabled { get; }

    /// <summary>"name (index+1/parallelism)", as Flink names tasks.</summary>
    string TaskNameWithSubtasks { get; }

    /// <summary>The environment's logger factory (a no-op one when none was given).</summary>
    ILoggerFactory LoggerFactory { get; }

    /// <summary>How often periodic watermarks are generated (Flink's auto-watermark interval); zero = never.</summary>
    TimeSpan AutoWatermarkInterval { get; }

    /// <summary>
    /// The job's clock (<see cref="StreamExecutionEnvironment.SetTimeProvider"/>): what sources and
    /// operators schedule periodic work by (partition discovery, watermark idleness), so a test's
    /// fake clock drives them too.
    /// </summary>
    TimeProvider TimeProvider { get; }

    /// <summary>Cancelled when this run of the subtask ends early (the job is cancelled, or another subtask failed): pass it to every blocking call.</summary>
    CancellationToken CancellationToken { get; }

    /// <summary>The keyed value state named by <paramref name="descriptor"/>, scoped to the key at hand (Flink's <c>getState</c>).</summary>
    /// <exception cref="InvalidOperationException">The function does not run on a keyed stream.</exception>
    IValueState<T> GetState<T>(ValueStateDescriptor<T> descriptor);

    /// <summary>The keyed list state named by <paramref name="descriptor"/>, scoped to the key at hand (Flink's <c>getListState</c>).</summary>
    /// <exception cref="InvalidOperationException">The function does not run on a keyed stream.</exception>
    IListState<T> GetListState<T>(ListStateDescriptor<T> descriptor);

    /// <summary>The keyed map state named by <paramref name="descriptor"/>, scoped to the key at hand (Flink's <c>getMapState</c>).</summary>
    /// <exception cref="InvalidOperationException">The function does not run on a keyed stream.</exception>
    IMapState<TKey, TValue> GetMapState<TKey, TValue>(MapStateDescriptor<TKey, TValue> descriptor)
        where TKey : notnull;

    /// <summary>The keyed reducing state named by <paramref name="descriptor"/>, scoped to the key at hand (Flink's <c>getReducingState</c>).</summary>
    /// <exception cref="InvalidOperationException">The function does not run on a keyed stream.</exception>
    IReducingState<T> GetReducingState<T>(ReducingStateDescriptor<T> descriptor);
}

/// <summary>Given to <see cref="ICheckpointedFunction.SnapshotState"/>.</summary>
public interface IFunctionSnapshotContext
{
    /// <summary>The id of the checkpoint (or savepoint) being taken.</summary>
    long CheckpointId { get; }

    /// <summary>When the checkpoint was triggered (Unix ms).</summary>
    long CheckpointTimestamp { get; }
}

/// <summary>Given to <see cref="ICheckpointedFunction.InitializeState"/>.</summary>
public interface IFunctionInitializationContext
{
    /// <summary>True when the state comes from a checkpoint or savepoint.</summary>
    bool IsRestored { get; }

    /// <summary>The checkpoint restored from, when <see cref="IsRestored"/>.</summary>
    long? RestoredCheckpointId { get; }

    /// <summary>The subtask's operator (non-keyed) state, redistributed over the subtasks when restored at another parallelism.</summary>
    IOperatorStateStore OperatorStateStore { get; }

    /// <summary>Keyed state, for functions on a keyed stream; null otherwise.</summary>
    IKeyedStateStore? KeyedStateStore { get; }

    /// <summary>The same runtime facts as in Open.</summary>
    IRuntimeContext RuntimeContext { get; }
}
