using Rivulet.Core.Checkpointing;

namespace Rivulet.Cluster.Control;

// The control messages between the JobManager and the TaskManagers (Akka, JSON-serialized).
// Subtasks are named by vertex index and subtask index: the job graphs of all processes are the
// same (their fingerprints were compared when the TaskManager registered).

/// <summary>A TaskManager offers its slots; its job graph must be the JobManager's.</summary>
internal sealed record RegisterTaskManager(string TaskManagerId, int Slots, string DataHost, int DataPort, string Fingerprint, string[] GraphLines);

/// <summary>The JobManager took the TaskManager's slots.</summary>
internal sealed record TaskManagerAccepted(string JobName);

/// <summary>The JobManager refused the TaskManager (another job graph); it stops, saying why.</summary>
internal sealed record TaskManagerRefused(string Reason);

/// <summary>Where one subtask runs.</summary>
internal sealed record SubtaskPlacement(int Vertex, int Subtask, string TaskManagerId);

/// <summary>A TaskManager's data port.</summary>
internal sealed record DataEndpoint(string TaskManagerId, string Host, int Port);

/// <summary>
/// Run this TaskManager's subtasks of attempt <see cref="Attempt"/>, restoring <see cref="RestoreDirectory"/> when set,
/// with the job graph capped at <see cref="ParallelismCap"/> when set (rescaled to fewer slots).
/// </summary>
internal sealed record DeployAttempt(int Attempt, SubtaskPlacement[] Placements, DataEndpoint[] Endpoints, string? RestoreDirectory, int? ParallelismCap);

/// <summary>Stop the subtasks of an attempt (a failure elsewhere, or the job is cancelled); answered with <see cref="AttemptStopped"/>.</summary>
internal sealed record CancelAttempt(int Attempt);

/// <summary>The TaskManager's subtasks of the attempt have stopped (their threads ended).</summary>
internal sealed record AttemptStopped(int Attempt, string TaskManagerId);

/// <summary>Something on the TaskManager failed the attempt.</summary>
internal sealed record AttemptFailed(int Attempt, string TaskManagerId, string Reason, bool SuppressRestarts);

/// <summary>A subtask processed all its input.</summary>
internal sealed record SubtaskInputEnded(int Attempt, int Vertex, int Subtask);

/// <summary>A subtask closed its operators after a normal end.</summary>
internal sealed record SubtaskFinished(int Attempt, int Vertex, int Subtask);

/// <summary>Trigger a checkpoint at a source subtask, or the final checkpoint at any subtask.</summary>
internal sealed record TriggerCheckpoint(int Attempt, int Vertex, int Subtask, long CheckpointId, long TimestampMs, string Directory, bool Final);

/// <summary>A checkpoint completed (<see cref="Completed"/>) or was aborted, told to one subtask.</summary>
internal sealed record CheckpointOutcome(int Attempt, int Vertex, int Subtask, long CheckpointId, bool Completed);

/// <summary>One operator's state file of a subtask for a checkpoint.</summary>
internal sealed record SubtaskStateFile(string Uid, string RelativePath, long Length, string Sha256)
{
    public StateFile ToStateFile() => new(RelativePath, new StateFileDigest(Length, Sha256));
}

/// <summary>A subtask wrote its state for a checkpoint.</summary>
internal sealed record CheckpointAcknowledged(int Attempt, int Vertex, int Subtask, long CheckpointId, SubtaskStateFile[] Files);

/// <summary>A subtask could not write its state for a checkpoint.</summary>
internal sealed record CheckpointDeclined(int Attempt, int Vertex, int Subtask, long CheckpointId, string Reason);

/// <summary>The job ended (finished, failed for good, or cancelled): TaskManagers stop.</summary>
internal sealed record JobEnded(string Outcome, bool Succeeded);
