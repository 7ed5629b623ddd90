using Akka.Actor;
using Akka.Cluster.Tools.Singleton;
using Microsoft.Extensions.Logging;
using Rivulet.Cluster.Control;
using Rivulet.Cluster.Data;
using Rivulet.Cluster.Scheduling;
using Rivulet.Core.Api;

namespace Rivulet.Cluster;

/// <summary>
/// This process's part in a cluster running a job (started by <see cref="ClusterExecution.StartOnCluster"/>):
/// a JobManager, which runs the job on the TaskManagers that register with it, or a TaskManager,
/// which offers slots until the JobManager says the job ended.
/// </summary>
public sealed class ClusterProcess : IAsyncDisposable
{
    private readonly ActorSystem _system;
    private readonly DataServer? _server;
    private readonly TaskManagerRegistry? _registry;
    private readonly JobManagerProcess? _jobManager;

    private ClusterProcess(ClusterRole role, string jobName, ActorSystem system, DataServer? server, TaskManagerRegistry? registry, JobManagerProcess? jobManager,
        Task completion)
    {
        Role = role;
        JobName = jobName;
        _system = system;
        _server = server;
        _registry = registry;
        _jobManager = jobManager;
        Completion = completion;
    }

    /// <summary>This process's role.</summary>
    public ClusterRole Role { get; }

    /// <summary>The job's name.</summary>
    public string JobName { get; }

    /// <summary>
    /// Completes when the job ended: on the JobManager as the job did (faulted when it failed for
    /// good); on a TaskManager when the JobManager said so — faulted when the JobManager refused
    /// it (another job graph) or the cluster removed it.
    /// </summary>
    public Task Completion { get; }

    /// <summary>On the JobManager: the running job (savepoints, metrics, cancellation), once it started; null on TaskManagers.</summary>
    public Task<JobClient>? Job => _jobManager?.Job;

    /// <summary>On the JobManager: the TaskManagers registered now; 0 on TaskManagers.</summary>
    public int TaskManagers => _registry?.TaskManagerCount ?? 0;

    /// <summary>On the JobManager: the slots the registered TaskManagers offer; on a TaskManager: its own.</summary>
    public int Slots { get; private init; }

    /// <summary>On a TaskManager: the port other TaskManagers send it records on; 0 on the JobManager.</summary>
    public int DataPort => _server?.Port ?? 0;

    /// <summary>On a TaskManager: the records it received from other TaskManagers so far; 0 on the JobManager.</summary>
    public long RecordsReceivedOverNetwork => _server?.RecordsReceived ?? 0;

    /// <summary>Leaves the cluster and stops this process's part (a TaskManager's subtasks stop; a JobManager's job is cancelled).</summary>
    public async ValueTask DisposeAsync()
    {
        if (_jobManager?.Job is { IsCompletedSuccessfully: true } job)
        {
            await job.Result.CancelAsync().ConfigureAwait(false);
        }

        await CoordinatedShutdown.Get(_system).Run(CoordinatedShutdown.ClrExitReason.Instance).ConfigureAwait(false);
        _server?.Dispose();
    }

    internal static ClusterProcess Start(ClusterJob job)
    {
        var settings = job.Cluster;
        var system = ClusterBootstrap.Start(settings);
        var terminated = system.WhenTerminated;
        if (settings.Role == ClusterRole.JobManager)
        {
            var registry = new TaskManagerRegistry();
            var process = new JobManagerProcess();
            system.ActorOf(
                ClusterSingletonManager.Props(Props.Create(() => new JobMasterActor(job, registry, process)), PoisonPill.Instance,
                    ClusterSingletonManagerSettings.Create(system).WithRole(ClusterBootstrap.JobManagerRole)),
                ClusterBootstrap.JobManagerName);
            var completion = JobManagerCompletion(process, terminated);
            return new ClusterProcess(settings.Role, job.Name, system, null, registry, process, completion);
        }

        DataServer server;
        try
        {
            server = new DataServer(settings.Host, settings.DataPort, job.Settings.LoggerFactory.CreateLogger<DataServer>());
        }
        catch (System.Net.Sockets.SocketException e)
        {
            system.Terminate().Wait(TimeSpan.FromSeconds(10));
            throw new InvalidOperationException($"The TaskManager's data port {settings.Host}:{settings.DataPort} (--rivulet-data-port) cannot be opened: {e.Message}", e);
        }

        var self = Akka.Cluster.Cluster.Get(system).SelfAddress;
        var id = $"{settings.Host}:{self.Port}#{Guid.NewGuid().ToString("N")[..6]}";
        var taskManager = new TaskManagerProcess();
        system.ActorOf(Props.Create(() => new TaskExecutorActor(job, id, server, taskManager)), "taskmanager");
        var ended = TaskManagerCompletion(taskManager, terminated);
        return new ClusterProcess(settings.Role, job.Name, system, server, null, null, ended) { Slots = settings.Slots };
    }

    private static async Task JobManagerCompletion(JobManagerProcess process, Task terminated)
    {
        var first = await Task.WhenAny(process.Ended, terminated).ConfigureAwait(false);
        if (first != process.Ended)
        {
            throw new InvalidOperationException("The JobManager's actor system stopped before the job ended (it was removed from the cluster).");
        }

        var client = await process.Job.ConfigureAwait(false);
        await client.Completion.ConfigureAwait(false);
    }

    private static async Task TaskManagerCompletion(TaskManagerProcess process, Task terminated)
    {
        var first = await Task.WhenAny(process.Ended, terminated).ConfigureAwait(false);
        if (first != process.Ended)
        {
            throw new InvalidOperationException("This TaskManager was removed from the cluster (unreachable for longer than the failure detection timeout); restart it to rejoin.");
        }

        var ended = await process.Ended.ConfigureAwait(false);
        if (!ended.Succeeded)
        {
            throw new InvalidOperationException($"The job failed on the JobManager: {ended.Outcome}");
        }
    }
}
