namespace Rivulet.Cluster;

/// <summary>What the JobManager does when the TaskManagers offer fewer slots than the job's parallelism — at the start, or after losing one.</summary>
public enum SlotShortagePolicy
{
    /// <summary>
    /// Wait for slots (a restarted or spare TaskManager), up to <see cref="ClusterSettings.SlotWaitTimeout"/>;
    /// the job keeps its parallelism. The default.
    /// </summary>
    WaitForSlots,

    /// <summary>
    /// Wait <see cref="ClusterSettings.RescaleAfter"/> for slots, then run with the parallelism the
    /// slots allow (no operator above it), from the latest checkpoint — state moves by key group.
    /// Every later restart tries the full parallelism again first.
    /// </summary>
    Rescale,
}
