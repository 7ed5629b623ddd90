namespace Rivulet.Cluster;

/// <summary>What a process of a cluster does (Flink's JobManager / TaskManager).</summary>
public enum ClusterRole
{
    /// <summary>Schedules the job's subtasks onto TaskManagers, coordinates checkpoints, restarts after failures; the cluster's seed node.</summary>
    JobManager,

    /// <summary>Runs the subtasks the JobManager deploys to its slots and exchanges records with the other TaskManagers.</summary>
    TaskManager,
}
