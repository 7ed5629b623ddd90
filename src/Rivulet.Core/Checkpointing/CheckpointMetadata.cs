namespace Rivulet.Core.Checkpointing;

/// <summary>
/// The <c>_metadata</c> file of a completed checkpoint or savepoint: which operator subtasks wrote
/// which state files. Written last and atomically, so its presence means "complete".
/// </summary>
public sealed record CheckpointMetadata
{
    public const int CurrentVersion = 1;

    public int Version { get; init; } = CurrentVersion;

    public required long CheckpointId { get; init; }

    public required long TimestampMs { get; init; }

    public required string JobName { get; init; }

    public bool IsSavepoint { get; init; }

    public required List<OperatorStateMetadata> Operators { get; init; }
}

/// <summary>One operator's share of a checkpoint.</summary>
public sealed record OperatorStateMetadata
{
    public required string Uid { get; init; }

    public required string Name { get; init; }

    public required int Parallelism { get; init; }

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
