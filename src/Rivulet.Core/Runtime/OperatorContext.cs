using Microsoft.Extensions.Logging;
using Rivulet.Core.Api.Functions;
using Rivulet.Core.Runtime.Tasks;
using Rivulet.Core.State;

namespace Rivulet.Core.Runtime;

/// <summary>One operator subtask's facts and state stores; what user functions see as their runtime context.</summary>
internal sealed class OperatorContext(
    string jobName,
    string operatorName,
    string operatorUid,
    int subtaskIndex,
    int parallelism,
    int maxParallelism,
    int attemptNumber,
    bool checkpointingEnabled,
    ILoggerFactory loggerFactory) : IRuntimeContext
{
    public string JobName { get; } = jobName;

    public string OperatorName { get; } = operatorName;

    public string OperatorUid { get; } = operatorUid;

    public int SubtaskIndex { get; } = subtaskIndex;

    public int NumberOfParallelSubtasks { get; } = parallelism;

    public int MaxNumberOfParallelSubtasks { get; } = maxParallelism;

    public int AttemptNumber { get; } = attemptNumber;

    public bool IsCheckpointingEnabled { get; } = checkpointingEnabled;

    public string TaskNameWithSubtasks => $"{OperatorName} ({SubtaskIndex + 1}/{NumberOfParallelSubtasks})";

    public ILoggerFactory LoggerFactory { get; } = loggerFactory;

    public OperatorStateBackend OperatorState { get; } = new($"Operator '{operatorName}' (uid '{operatorUid}')");

    /// <summary>Set for operators on a keyed stream.</summary>
    public IKeyedStateBackend? KeyedBackend { get; set; }

    /// <summary>The subtask's processing-time callbacks (timers, periodic watermarks); set before Open.</summary>
    public ProcessingTimeService ProcessingTime { get; set; } = null!;

    /// <summary>The subtask's mailbox; set before Open.</summary>
    public IMailbox Mailbox { get; set; } = null!;

    /// <summary>How often periodic watermarks are generated; zero turns periodic generation off.</summary>
    public TimeSpan AutoWatermarkInterval { get; init; }

    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    public CancellationToken CancellationToken { get; init; }

    /// <summary>The job's counters (across attempts).</summary>
    public JobMetrics Metrics { get; init; } = new(TimeProvider.System);

    /// <summary>Side outputs of this operator that something consumes, by tag id.</summary>
    public IReadOnlyDictionary<string, IEventOutput> SideOutputs { get; set; } = new Dictionary<string, IEventOutput>();

    /// <summary>The output for <paramref name="tag"/>, or null when no stream reads that side output.</summary>
    public IOutput<T>? SideOutput<T>(Api.OutputTag<T> tag) => SideOutputs.TryGetValue(tag.Id, out var output) ? (IOutput<T>)output : null;

    public long? RestoredCheckpointId { get; set; }

    public IValueState<T> GetState<T>(ValueStateDescriptor<T> descriptor) => Keyed().GetState(descriptor);

    public IListState<T> GetListState<T>(ListStateDescriptor<T> descriptor) => Keyed().GetListState(descriptor);

    public IMapState<TKey, TValue> GetMapState<TKey, TValue>(MapStateDescriptor<TKey, TValue> descriptor)
        where TKey : notnull => Keyed().GetMapState(descriptor);

    public IReducingState<T> GetReducingState<T>(ReducingStateDescriptor<T> descriptor) => Keyed().GetReducingState(descriptor);

    public IKeyedStateStore Keyed() =>
        KeyedBackend as IKeyedStateStore ?? throw new InvalidOperationException(
            $"Operator '{OperatorName}' (uid '{OperatorUid}') asked for keyed state, but it does not run on a keyed stream. " +
            "Keyed state is only available after KeyBy(...); use operator state (ICheckpointedFunction) otherwise.");
}
