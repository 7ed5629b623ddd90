namespace Rivulet.Core.Checkpointing;

/// <summary>
/// The <c>_metadata</c> file of a completed checkpoint or savepoint: which operator subtasks wrote
/// which state files. Written last and atomically, so its presence means "complete".
/// </summary>
public sealed record CheckpointMetadata
{
    /// <summary>The metadata format this Rivulet writes; <see cref="CheckpointStorage.ReadMetadata"/> refuses any other.</summary>
    public const int CurrentVersion = 1;

    /// <summary>The metadata format of this file (<see cref="CurrentVersion"/> when this Rivulet wrote it).</summary>
    public int Version { get; init; } = CurrentVersion;

    /// <summary>The checkpoint's id; a job's checkpoints and savepoints are numbered from one sequence.</summary>
    public required long CheckpointId { get; init; }

    /// <summary>When the checkpoint was triggered, in Unix milliseconds (the job's clock).</summary>
    public required long TimestampMs { get; init; }

    /// <summary>The name of the job that wrote it; <see cref="CheckpointStorage.FindLatestCompleted(string)"/> picks checkpoints by it.</summary>
    public required string JobName { get; init; }

    /// <summary>True for a savepoint (taken on request, into a directory the caller chose); false for a periodic or final checkpoint.</summary>
    public bool IsSavepoint { get; init; }

    /// <summary>Every operator of the job, chained ones included, with the state file of each of its subtasks.</summary>
    public required List<OperatorStateMetadata> Operators { get; init; }
}

/// <summary>One operator's share of a checkpoint.</summary>
public sealed record OperatorStateMetadata
{
    /// <summary>The operator's uid (set with <c>Uid(...)</c>, or derived from its position and name): on restore, state goes to the operator with the same uid.</summary>
    public required string Uid { get; init; }

    /// <summary>The operator's name, for messages only (state is matched by <see cref="Uid"/>).</summary>
    public required string Name { get; init; }

    /// <summary>The operator's parallelism when the checkpoint was taken: one entry per subtask in <see cref="SubtaskFiles"/>.</summary>
    public required int Parallelism { get; init; }

    /// <summary>The job's max parallelism (number of key groups) when the checkpoint was taken; a restore with another max parallelism is refused.</summary>
    public required int MaxParallelism { get; init; }

    /// <summary>State file of each subtask, relative to the checkpoint directory, by subtask index.</summary>
    public required List<string> SubtaskFiles { get; init; }

    /// <summary>
    /// Length and SHA-256 of each subtask's state file, by subtask index, checked before it is
    /// restored (null in checkpoints written before Rivulet recorded them).
    /// </summary>
    public List<StateFileDigest>? SubtaskFileDigests { get; init; }
}

/// <summary>What a state file must look like when it is read back.</summary>
/// <param name="Length">Its length in bytes.</param>
/// <param name="Sha256">Its SHA-256, lowercase hex.</param>
public sealed record StateFileDigest(long Length, string Sha256);
