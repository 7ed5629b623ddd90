namespace Rivulet.Cluster;

/// <summary>An attempt failed on, or lost, a TaskManager; the restart strategy decides what follows.</summary>
public sealed class TaskManagerFailureException(string taskManagerId, string reason)
    : Exception($"TaskManager {taskManagerId}: {reason}")
{
    /// <summary>The TaskManager, as host:port and a per-process suffix.</summary>
    public string TaskManagerId { get; } = taskManagerId;
}
