using Rivulet.Connectors.Kafka.Sink.Transactions;
using Rivulet.Core.Api.Functions;
using Rivulet.Core.State;

namespace Rivulet.Connectors.Kafka.Sink;

/// <summary>
/// One sink subtask's part of the checkpoints: its pre-committed transactions and the shape of the
/// run (parallelism, pool size), both as union list state, and its share of what a restore brought
/// back. Made in <c>InitializeState</c>, before the subtask opens.
/// </summary>
internal sealed class KafkaSinkCheckpointState
{
    // The state names are part of the checkpoint format: savepoints of earlier versions restore by them.
    private static readonly ListStateDescriptor<PendingTransaction> PendingDescriptor = new("pending-transactions");
    private static readonly ListStateDescriptor<SinkTopology> TopologyDescriptor = new("sink-topology");

    private readonly IListState<PendingTransaction> _pending;
    private readonly IListState<SinkTopology> _topology;

    public KafkaSinkCheckpointState(IFunctionInitializationContext context, string transactionalIdPrefix, int producerPoolSize)
    {
        // Union state: every subtask sees every pending transaction and commits those whose ids it owns now.
        _pending = context.OperatorStateStore.GetUnionListState(PendingDescriptor);
        _topology = context.OperatorStateStore.GetUnionListState(TopologyDescriptor);
        var runtime = context.RuntimeContext;
        var topologies = _topology.Get().ToList();
        var restored = context.IsRestored && topologies.Count > 0
            ? RestoredSinkState.ForSubtask(_pending.Get(), transactionalIdPrefix, runtime.SubtaskIndex, runtime.NumberOfParallelSubtasks,
                topologies.Max(t => t.Parallelism), topologies.Max(t => t.ProducerPoolSize))
            : RestoredSinkState.None(runtime.NumberOfParallelSubtasks, producerPoolSize);
        // The checkpoint id names where pending transactions came from; without any it stays 0.
        Restored = restored.PendingTransactions.Count > 0 ? restored with { CheckpointId = context.RestoredCheckpointId ?? 0 } : restored;
    }

    /// <summary>This subtask's share of the restored checkpoint's transactions (none on a fresh start).</summary>
    public RestoredSinkState Restored { get; }

    /// <summary>Writes the subtask's pending transactions and the run's shape into the checkpoint being taken.</summary>
    public void Update(IEnumerable<PendingTransaction> pending, SinkTopology topology)
    {
        _pending.Update(pending);
        _topology.Update([topology]);
    }
}
