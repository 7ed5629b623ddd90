namespace Rivulet.Connectors.Kafka.Sink.Testing;

/// <summary>The steps a sink subtask reports to <see cref="ISinkCrashPoints"/>, in the order they happen.</summary>
internal static class SinkCrashPoint
{
    /// <summary>Recovery: one restored transaction was dealt with (committed, found committed, or skipped).</summary>
    public const string AfterRecoveryCommit = "after-recovery-commit";

    /// <summary>Recovery: one transactional id was fenced (InitTransactions).</summary>
    public const string AfterFencing = "after-fencing";

    /// <summary>Recovery is over and the first transaction is open.</summary>
    public const string Started = "started";

    /// <summary>At the barrier, before the open transaction is flushed.</summary>
    public const string BeforePreCommit = "before-pre-commit";

    /// <summary>At the barrier, after the flush, before the checkpoint stores the transaction.</summary>
    public const string AfterPreCommit = "after-pre-commit";

    /// <summary>The checkpoint is complete; nothing of it is committed yet.</summary>
    public const string AfterCheckpointBeforeCommit = "after-checkpoint-before-commit";

    /// <summary>
    /// As <see cref="AfterCheckpointBeforeCommit"/>, reported only when this subtask's transaction of
    /// that checkpoint holds records (a crash there leaves output that only a commit makes visible).
    /// </summary>
    public const string AfterCheckpointWithRecordsBeforeCommit = "after-checkpoint-with-records-before-commit";

    /// <summary>One transaction of a completed checkpoint was committed.</summary>
    public const string AfterCommit = "after-commit";

    /// <summary>
    /// A checkpoint's commit is half done across the job: subtask 0 reports it after committing
    /// its transactions, every other subtask before committing its own.
    /// </summary>
    public const string DuringCommit = "during-commit";

    /// <summary>A transactional id retired after a recovery commit was initialized for reuse (fenced).</summary>
    public const string AfterSlotInit = "after-slot-init";
}
