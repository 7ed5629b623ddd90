namespace Rivulet.Core.Runtime.Tasks;

/// <summary>
/// The checkpoint coordinator's handle on one subtask, wherever it runs: its runner in this
/// process, or a TaskManager on a cluster. Calls return at once; the subtask acts on its own thread.
/// </summary>
internal interface ISubtaskGateway
{
    /// <summary>The subtask as its chain's operator names and its 1-based index, e.g. "Source -> Map (2/4)".</summary>
    string Name { get; }

    int SubtaskIndex { get; }

    /// <summary>Sources start checkpoints: the coordinator triggers them, the barrier does the rest.</summary>
    bool IsSource { get; }

    /// <summary>A source snapshots its chain for the checkpoint and sends the barrier downstream.</summary>
    void TriggerCheckpoint(long checkpointId, long timestampMs, string directory);

    /// <summary>After all input ended: the subtask snapshots as it stands, without a barrier.</summary>
    void TriggerFinalCheckpoint(long checkpointId, long timestampMs, string directory);

    void NotifyCheckpointComplete(long checkpointId);

    void NotifyCheckpointAborted(long checkpointId);
}
