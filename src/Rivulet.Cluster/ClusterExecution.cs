using Rivulet.Core.Api;
using Rivulet.Core.Graph;
using Rivulet.Core.Runtime;

namespace Rivulet.Cluster;

/// <summary>
/// Runs a job on a cluster in application mode: every process runs the same program, builds the
/// same job and calls this with its own <see cref="ClusterSettings"/> (usually
/// <see cref="ClusterSettings.FromCommandLine"/>) — one as JobManager, the others as TaskManagers.
/// </summary>
public static class ClusterExecution
{
    /// <summary>Starts this process's role in the cluster and returns at once.</summary>
    /// <exception cref="InvalidOperationException">The job is invalid (as for <see cref="StreamExecutionEnvironment.Start"/>).</exception>
    public static ClusterProcess StartOnCluster(this StreamExecutionEnvironment env, string jobName, ClusterSettings settings)
    {
        ArgumentNullException.ThrowIfNull(env);
        ArgumentNullException.ThrowIfNull(settings);
        var (graph, jobSettings) = env.Prepare(jobName);
        var job = new ClusterJob(graph, cap => env.BuildGraph(cap), JobGraphDescription.Of(graph, jobSettings.MaxParallelism), jobSettings,
            new JobMetrics(jobSettings.Clock), settings);
        return ClusterProcess.Start(job);
    }

    /// <summary>
    /// Runs this process's role until the job ended: on the JobManager until the job finishes,
    /// fails for good or <paramref name="cancellationToken"/> cancels it; on a TaskManager until
    /// the JobManager says the job ended (or <paramref name="cancellationToken"/> stops this TaskManager).
    /// </summary>
    /// <exception cref="InvalidOperationException">The job failed, or this TaskManager was refused (another job graph) or removed from the cluster.</exception>
    public static async Task ExecuteOnClusterAsync(this StreamExecutionEnvironment env, string jobName, ClusterSettings settings, CancellationToken cancellationToken = default)
    {
        var process = env.StartOnCluster(jobName, settings);
        await using (process.ConfigureAwait(false))
        {
            try
            {
                await process.Completion.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
            }
        }
    }
}
