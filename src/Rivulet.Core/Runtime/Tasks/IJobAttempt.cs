using Rivulet.Core.Checkpointing;

namespace Rivulet.Core.Runtime.Tasks;

/// <summary>One run of a job: in this process (<see cref="ExecutionAttempt"/>) or across a cluster's TaskManagers.</summary>
internal interface IJobAttempt
{
    /// <summary>Takes checkpoints and savepoints of this attempt; null without checkpoint storage.</summary>
    CheckpointCoordinator? Coordinator { get; }

    /// <summary>Runs to the end; throws the first failure.</summary>
    Task RunAsync();
}

/// <summary>Creates attempt <paramref name="number"/> of a job, restoring <paramref name="restore"/> (null: fresh state).</summary>
internal delegate IJobAttempt JobAttemptFactory(int number, CompletedCheckpoint? restore, CheckpointStorage? storage, Action<CompletedCheckpoint> onCheckpointCompleted,
    CancellationToken cancellation);
