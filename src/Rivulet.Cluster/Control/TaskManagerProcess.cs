namespace Rivulet.Cluster.Control;

/// <summary>What the TaskManager actor tells its process: the job ended, or this TaskManager cannot take part (refused).</summary>
internal sealed class TaskManagerProcess
{
    private readonly TaskCompletionSource<JobEnded> _ended = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task<JobEnded> Ended => _ended.Task;

    public void JobEnded(JobEnded ended) => _ended.TrySetResult(ended);

    public void Refused(string reason) => _ended.TrySetException(new InvalidOperationException(reason));
}
