using Akka.Actor;
using Akka.Cluster;
using Akka.Cluster.Tools.Singleton;
using Microsoft.Extensions.Logging;
using Rivulet.Cluster.Coordination;
using Rivulet.Cluster.Data;

namespace Rivulet.Cluster.Control;

/// <summary>
/// A TaskManager: registers its slots with the JobManager (through the singleton proxy, again
/// until accepted), runs the attempts the JobManager deploys, and stops them when told — or when
/// the JobManager becomes unreachable (its coordinator is gone with it).
/// </summary>
internal sealed class TaskExecutorActor : ReceiveActor, IWithTimers
{
    private readonly ClusterJob _job;
    private readonly string _id;
    private readonly DataServer _server;
    private readonly TaskManagerProcess _process;
    private readonly ILogger _logger;
    private IActorRef _proxy = ActorRefs.Nobody;
    private IActorRef _jobManager = ActorRefs.Nobody;
    private bool _registered;
    private TaskManagerAttempt? _current;

    public TaskExecutorActor(ClusterJob job, string id, DataServer server, TaskManagerProcess process)
    {
        _job = job;
        _id = id;
        _server = server;
        _process = process;
        _logger = job.Settings.LoggerFactory.CreateLogger<TaskExecutorActor>();

        Receive<RegisterTick>(_ => Register());
        Receive<TaskManagerAccepted>(m =>
        {
            _jobManager = Sender;
            if (!_registered)
            {
                _registered = true;
                _logger.LogInformation("TaskManager {TaskManager} registered with the JobManager of job {Job}", _id, m.JobName);
            }
        });
        Receive<TaskManagerRefused>(m =>
        {
            Timers.Cancel(nameof(RegisterTick));
            _process.Refused(m.Reason);
        });
        ReceiveAsync<DeployAttempt>(async m =>
        {
            _jobManager = Sender;
            await StopCurrentAsync();
            try
            {
                var attempt = new TaskManagerAttempt(_job, m, _id, _jobManager, _server);
                _current = attempt;
                attempt.Start();
            }
            catch (Exception e)
            {
                Sender.Tell(new AttemptFailed(m.Attempt, _id, $"deploying failed: {e.Message}", false));
            }
        });
        ReceiveAsync<CancelAttempt>(async m =>
        {
            var sender = Sender;
            if (_current?.Number <= m.Attempt)
            {
                await StopCurrentAsync();
            }

            sender.Tell(new AttemptStopped(m.Attempt, _id));
        });
        Receive<TriggerCheckpoint>(m =>
        {
            if (_current?.Number == m.Attempt)
            {
                _current.Trigger(m);
            }
        });
        Receive<CheckpointOutcome>(m =>
        {
            if (_current?.Number == m.Attempt)
            {
                _current.Outcome(m);
            }
        });
        ReceiveAsync<JobEnded>(async m =>
        {
            await StopCurrentAsync();
            Timers.Cancel(nameof(RegisterTick));
            _process.JobEnded(m);
        });
        ReceiveAsync<ClusterEvent.UnreachableMember>(m => JobManagerGone(m.Member));
        ReceiveAsync<ClusterEvent.MemberRemoved>(m => JobManagerGone(m.Member));
        Receive<ClusterEvent.IMemberEvent>(_ => { });
    }

    public ITimerScheduler Timers { get; set; } = null!;

    protected override void PreStart()
    {
        _proxy = Context.ActorOf(
            ClusterSingletonProxy.Props(ClusterBootstrap.JobManagerPath, ClusterSingletonProxySettings.Create(Context.System).WithRole(ClusterBootstrap.JobManagerRole)),
            "jobmanager-proxy");
        Akka.Cluster.Cluster.Get(Context.System).Subscribe(Self, ClusterEvent.SubscriptionInitialStateMode.InitialStateAsEvents,
            typeof(ClusterEvent.IMemberEvent), typeof(ClusterEvent.UnreachableMember));
        Timers.StartPeriodicTimer(nameof(RegisterTick), RegisterTick.Instance, TimeSpan.Zero, TimeSpan.FromSeconds(1));
    }

    protected override void PostStop()
    {
        Akka.Cluster.Cluster.Get(Context.System).Unsubscribe(Self);
        _current?.StopAsync().Wait(TimeSpan.FromSeconds(10));
    }

    private void Register()
    {
        if (!_registered)
        {
            _proxy.Tell(new RegisterTaskManager(_id, _job.Cluster.Slots, _server.Host, _server.Port, _job.Description.Fingerprint, [.. _job.Description.Lines]));
        }
    }

    private async Task JobManagerGone(Member member)
    {
        if (!member.HasRole(ClusterBootstrap.JobManagerRole) || !_registered)
        {
            return;
        }

        _logger.LogWarning("The JobManager at {Address} is unreachable or gone: stopping this TaskManager's subtasks and registering again when one is back", member.Address);
        _registered = false;
        await StopCurrentAsync();
    }

    private async Task StopCurrentAsync()
    {
        if (_current is { } current)
        {
            _current = null;
            await current.StopAsync();
        }
    }
}
