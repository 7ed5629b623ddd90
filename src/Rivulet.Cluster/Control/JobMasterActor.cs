using Akka.Actor;
using Akka.Cluster;
using Microsoft.Extensions.Logging;
using Rivulet.Cluster.Coordination;
using Rivulet.Cluster.Scheduling;
using Rivulet.Core.Api;
using Rivulet.Core.Graph;
using Rivulet.Core.Recovery;

namespace Rivulet.Cluster.Control;

/// <summary>
/// The JobManager (an Akka cluster singleton on the JobManager role): accepts TaskManagers whose
/// job graph matches, runs the job's attempts on them (the engine's restart logic, with
/// <see cref="ClusterAttempt"/>s), routes what TaskManagers report to the current attempt, and
/// turns a TaskManager that becomes unreachable or leaves into a failure of the attempt.
/// </summary>
internal sealed class JobMasterActor : ReceiveActor
{
    private readonly ClusterJob _job;
    private readonly TaskManagerRegistry _registry;
    private readonly JobManagerProcess _process;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _cancellation = new();
    private volatile ClusterAttempt? _current;

    public JobMasterActor(ClusterJob job, TaskManagerRegistry registry, JobManagerProcess process)
    {
        _job = job;
        _registry = registry;
        _process = process;
        _logger = job.Settings.LoggerFactory.CreateLogger<JobMasterActor>();

        Receive<RegisterTaskManager>(Register);
        Receive<SubtaskInputEnded>(m => Current(m.Attempt)?.OnInputEnded(m));
        Receive<SubtaskFinished>(m => Current(m.Attempt)?.OnFinished(m));
        Receive<CheckpointAcknowledged>(m => Current(m.Attempt)?.OnAcknowledged(m));
        Receive<CheckpointDeclined>(m => Current(m.Attempt)?.OnDeclined(m));
        Receive<AttemptFailed>(m => Current(m.Attempt)?.OnFailed(m));
        Receive<AttemptStopped>(m => Current(m.Attempt)?.OnStopped(m));
        Receive<ClusterEvent.UnreachableMember>(m =>
        {
            if (m.Member.HasRole(ClusterBootstrap.TaskManagerRole))
            {
                // Lost for good: out of the membership, so the cluster converges without it.
                Akka.Cluster.Cluster.Get(Context.System).Down(m.Member.Address);
            }

            Lost(m.Member, "unreachable");
        });
        Receive<ClusterEvent.MemberRemoved>(m => Lost(m.Member, "removed"));
        Receive<ClusterEvent.IMemberEvent>(_ => { });
        Receive<JobCompleted>(Completed);
    }

    protected override void PreStart()
    {
        Akka.Cluster.Cluster.Get(Context.System).Subscribe(Self, ClusterEvent.SubscriptionInitialStateMode.InitialStateAsEvents,
            typeof(ClusterEvent.IMemberEvent), typeof(ClusterEvent.UnreachableMember));
        var self = Self;
        var runner = new JobRunner(_job.Settings, _job.Graph, _job.Metrics, (number, restore, storage, onCompleted, cancellation) =>
            _current = new ClusterAttempt(_job, number, restore, storage, onCompleted, _registry, self, cancellation));
        var completion = Task.Run(() => runner.RunAsync(_cancellation.Token));
        completion.ContinueWith(t => self.Tell(new JobCompleted(t.Exception?.GetBaseException(), t.IsCanceled)), TaskScheduler.Default);
        _process.Started(new JobClient(_job.Name, runner, _job.Metrics, _cancellation, completion));
        _logger.LogInformation("JobManager of job {Job} is up; waiting for {Slots} slot(s)", _job.Name, SlotAssignment.RequiredSlots(_job.Graph));
    }

    protected override void PostStop()
    {
        Akka.Cluster.Cluster.Get(Context.System).Unsubscribe(Self);
        _cancellation.Cancel();
    }

    private ClusterAttempt? Current(int attempt) => _current is { } current && current.Number == attempt ? current : null;

    private void Register(RegisterTaskManager message)
    {
        if (!string.Equals(message.Fingerprint, _job.Description.Fingerprint, StringComparison.Ordinal))
        {
            var theirs = JobGraphDescription.FromLines(message.GraphLines);
            var reason = $"TaskManager {message.TaskManagerId} built another job graph than the JobManager of job '{_job.Name}' " +
                $"(fingerprint {message.Fingerprint[..12]} vs {_job.Description.Fingerprint[..12]}): every process must run the same program with the same settings. " +
                $"Differences — {_job.Description.DifferencesFrom(theirs, "JobManager", "TaskManager")}";
            _logger.LogError("Refused a TaskManager: {Reason}", reason);
            Sender.Tell(new TaskManagerRefused(reason));
            return;
        }

        var isNew = !_registry.Contains(message.TaskManagerId);
        _registry.Add(new RegisteredTaskManager(message.TaskManagerId, Sender, Sender.Path.Address, message.Slots, message.DataHost, message.DataPort));
        Sender.Tell(new TaskManagerAccepted(_job.Name));
        if (isNew)
        {
            _logger.LogInformation("TaskManager {TaskManager} registered with {Slots} slot(s); {Total} slot(s) on {Count} TaskManager(s)",
                message.TaskManagerId, message.Slots, _registry.TotalSlots, _registry.TaskManagerCount);
        }
    }

    private void Lost(Member member, string how)
    {
        if (!member.HasRole(ClusterBootstrap.TaskManagerRole))
        {
            return;
        }

        foreach (var taskManager in _registry.RemoveAt(member.Address))
        {
            _logger.LogWarning("TaskManager {TaskManager} is {How}; {Total} slot(s) left", taskManager.Id, how, _registry.TotalSlots);
            _current?.OnTaskManagerLost(taskManager);
        }
    }

    private void Completed(JobCompleted message)
    {
        var ended = new JobEnded(message.Failure?.Message ?? (message.Cancelled ? "cancelled" : "finished"), message.Failure is null);
        foreach (var taskManager in _registry.All())
        {
            taskManager.Actor.Tell(ended);
        }

        _process.Finished(ended);
    }
}
