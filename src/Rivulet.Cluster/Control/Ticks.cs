namespace Rivulet.Cluster.Control;

/// <summary>A TaskManager's timer: (re-)register with the JobManager until it accepts.</summary>
internal sealed record RegisterTick
{
    public static readonly RegisterTick Instance = new();
}

/// <summary>The job ended on the JobManager (its runner's task completed).</summary>
internal sealed record JobCompleted(Exception? Failure, bool Cancelled);
