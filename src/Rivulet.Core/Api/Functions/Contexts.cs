using Microsoft.Extensions.Logging;
using Rivulet.Core.State;

namespace Rivulet.Core.Api.Functions;

/// <summary>Where a function runs: which subtask of how many, which attempt, and its keyed state.</summary>
public interface IRuntimeContext
{
    string JobName { get; }

    string OperatorName { get; }

    string OperatorUid { get; }

    /// <summary>0-based index of this parallel instance.</summary>
    int SubtaskIndex { get; }

    int NumberOfParallelSubtasks { get; }

    int MaxNumberOfParallelSubtasks { get; }

    /// <summary>0 on the first run, +1 on each restart.</summary>
    int AttemptNumber { get; }

    /// <summary>Whether the job takes periodic checkpoints (sources then keep their position in state, not in auto-commits).</summary>
    bool IsCheckpointingEnabled { get; }

    /// <summary>"name (index+1/parallelism)", as Flink names tasks.</summary>
    string TaskNameWithSubtasks { get; }

    ILoggerFactory LoggerFactory { get; }

    /// <summary>How often periodic watermarks are generated (Flink's auto-watermark interval); zero = never.</summary>
    TimeSpan AutoWatermarkInterval { get; }

    /// <summary>Cancelled when this run of the subtask ends early (the job is cancelled, or another subtask failed): pass it to every blocking call.</summary>
    CancellationToken CancellationToken { get; }

    IValueState<T> GetState<T>(ValueStateDescriptor<T> descriptor);

    IListState<T> GetListState<T>(ListStateDescriptor<T> descriptor);

    IMapState<TKey, TValue> GetMapState<TKey, TValue>(MapStateDescriptor<TKey, TValue> descriptor)
        where TKey : notnull;

    IReducingState<T> GetReducingState<T>(ReducingStateDescriptor<T> descriptor);
}

/// <summary>Given to <see cref="ICheckpointedFunction.SnapshotState"/>.</summary>
public interface IFunctionSnapshotContext
{
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

    IOperatorStateStore OperatorStateStore { get; }

    /// <summary>Keyed state, for functions on a keyed stream; null otherwise.</summary>
    IKeyedStateStore? KeyedStateStore { get; }

    /// <summary>The same runtime facts as in Open.</summary>
    IRuntimeContext RuntimeContext { get; }
}
