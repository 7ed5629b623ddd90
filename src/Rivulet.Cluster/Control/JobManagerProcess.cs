using Rivulet.Core.Api;

namespace Rivulet.Cluster.Control;

/// <summary>What the JobManager actor tells its process: the job started (its client), the job ended.</summary>
internal sealed class JobManagerProcess
{
    private readonly TaskCompletionSource<JobClient> _job = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<JobEnded> _ended = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task<JobClient> Job => _job.Task;

    public Task<JobEnded> Ended => _ended.Task;

    public void Started(JobClient client) => _job.TrySetResult(client);

    public void Finished(JobEnded ended) => _ended.TrySetResult(ended);
}
