using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Rivulet.Core.Api.Functions;
using Rivulet.Core.State;

namespace Rivulet.Tests.Shared;

/// <summary>
/// A two-phase-commit sink: output becomes visible only when the checkpoint covering it completes,
/// exactly once across failures by construction, so tests can assert exact results. As in Flink's
/// two-phase-commit sinks, the pending output is part of the checkpoint and a restore commits what
/// the restored checkpoint holds (its completion may not have been notified before the failure);
/// commits are idempotent per (subtask, checkpoint).
/// </summary>
internal sealed class CommittingSink<T>(ConcurrentQueue<T> committed) : ISinkFunction<T>, ICheckpointedFunction, ICheckpointListener, IRichFunction
{
    // The "external system" is the queue: it remembers which transactions it committed, as Kafka
    // does, so a transaction committed again after a restore (or by a restarted job) is a no-op.
    private static readonly ConditionalWeakTable<ConcurrentQueue<T>, ConcurrentDictionary<(int Subtask, long CheckpointId), bool>> CommittedTransactions = new();
    private IListState<PendingOutput>? _state;
    private List<T> _buffer = [];
    private SortedDictionary<long, PendingOutput> _pending = [];
    private int _subtask;

    public void Open(IRuntimeContext context) => _subtask = context.SubtaskIndex;

    public void Close()
    {
    }

    public void Invoke(T value, ISinkContext context) => _buffer.Add(value);

    public void SnapshotState(IFunctionSnapshotContext context)
    {
        _pending[context.CheckpointId] = new PendingOutput(_subtask, context.CheckpointId, [.. _buffer]);
        _buffer.Clear();
        _state!.Update(_pending.Values);
    }

    public void InitializeState(IFunctionInitializationContext context)
    {
        // Per parallel instance (functions are copied shallowly for each subtask).
        _buffer = [];
        _pending = [];
        _state = context.OperatorStateStore.GetListState(new ListStateDescriptor<PendingOutput>("pending-output"));
        foreach (var pending in _state.Get())
        {
            Commit(pending);
        }

        _state.Update([]);
    }

    public void NotifyCheckpointComplete(long checkpointId)
    {
        foreach (var id in _pending.Keys.Where(k => k <= checkpointId).ToList())
        {
            Commit(_pending[id]);
            _pending.Remove(id);
        }
    }

    private void Commit(PendingOutput pending)
    {
        if (CommittedTransactions.GetOrCreateValue(committed).TryAdd((pending.Subtask, pending.CheckpointId), true))
        {
            foreach (var value in pending.Values)
            {
                committed.Enqueue(value);
            }
        }
    }

    /// <summary>The output of one subtask between two checkpoints, waiting for the later one to complete.</summary>
    internal sealed record PendingOutput(int Subtask, long CheckpointId, List<T> Values);
}
