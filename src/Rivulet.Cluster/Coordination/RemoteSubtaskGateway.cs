using Akka.Actor;
using Rivulet.Cluster.Control;
using Rivulet.Core.Graph;
using Rivulet.Core.Runtime.Tasks;

namespace Rivulet.Cluster.Coordination;

/// <summary>The JobManager's checkpoint coordinator reaches a subtask on a TaskManager through this: each call is a message to it.</summary>
internal sealed class RemoteSubtaskGateway(int attempt, JobVertex vertex, int subtask, IActorRef jobManager) : ISubtaskGateway
{
    /// <summary>The TaskManager running the subtask; set when the attempt is deployed (until then, calls go nowhere).</summary>
    public IActorRef TaskManager { get; set; } = ActorRefs.Nobody;

    public JobVertex Vertex { get; } = vertex;

    public string Name => $"{Vertex.Name} ({SubtaskIndex + 1}/{Vertex.Parallelism})";

    public int SubtaskIndex { get; } = subtask;

    public bool IsSource => Vertex.Head.IsSource;

    public void TriggerCheckpoint(long checkpointId, long timestampMs, string directory) =>
        TaskManager.Tell(new TriggerCheckpoint(attempt, Vertex.Index, SubtaskIndex, checkpointId, timestampMs, directory, Final: false), jobManager);

    public void TriggerFinalCheckpoint(long checkpointId, long timestampMs, string directory) =>
        TaskManager.Tell(new TriggerCheckpoint(attempt, Vertex.Index, SubtaskIndex, checkpointId, timestampMs, directory, Final: true), jobManager);

    public void NotifyCheckpointComplete(long checkpointId) =>
        TaskManager.Tell(new CheckpointOutcome(attempt, Vertex.Index, SubtaskIndex, checkpointId, Completed: true), jobManager);

    public void NotifyCheckpointAborted(long checkpointId) =>
        TaskManager.Tell(new CheckpointOutcome(attempt, Vertex.Index, SubtaskIndex, checkpointId, Completed: false), jobManager);
}
