using Akka.Actor;
using Microsoft.Extensions.Logging;
using Rivulet.Cluster.Control;
using Rivulet.Cluster.Data;
using Rivulet.Core.Checkpointing;
using Rivulet.Core.Recovery;
using Rivulet.Core.Runtime.Tasks;

namespace Rivulet.Cluster.Coordination;

/// <summary>
/// A TaskManager's share of one attempt: the subtasks placed on it, running as in process, with
/// remote channels to the subtasks elsewhere. What the subtasks report goes to the JobManager.
/// </summary>
internal sealed class TaskManagerAttempt : ISubtaskHost
{
    private readonly ClusterJob _job;
    private readonly string _taskManagerId;
    private readonly IActorRef _jobManager;
    private readonly DataServer _server;
    private readonly CancellationTokenSource _cancellation = new();
    private readonly TaskDeployment _deployment;
    private readonly RemoteChannels _remote;
    private readonly Dictionary<(int Vertex, int Subtask), SubtaskRunner> _runners;
    private readonly ILogger _logger;
    private int _failed;

    public TaskManagerAttempt(ClusterJob job, DeployAttempt deploy, string taskManagerId, IActorRef jobManager, DataServer server)
    {
        _job = job;
        Number = deploy.Attempt;
        _taskManagerId = taskManagerId;
        _jobManager = jobManager;
        _server = server;
        _logger = job.Settings.LoggerFactory.CreateLogger<TaskManagerAttempt>();
        var placement = deploy.Placements.ToDictionary(p => (p.Vertex, p.Subtask), p => p.TaskManagerId);
        var endpoints = deploy.Endpoints.ToDictionary(e => e.TaskManagerId, e => (e.Host, e.Port), StringComparer.Ordinal);
        CompletedCheckpoint? restore = null;
        CheckpointMetadata? restored = null;
        if (deploy.RestoreDirectory is { } directory)
        {
            restored = CheckpointStorage.ReadMetadata(directory);
            restore = new CompletedCheckpoint(restored.CheckpointId, directory);
        }

        var graph = job.GraphFor(deploy.ParallelismCap);
        _remote = new RemoteChannels(Number, graph, (vertex, subtask) => endpoints[placement[(vertex.Index, subtask)]], server, job.Settings.ChannelCapacity, job.Settings.Serializers,
            _cancellation.Token, Fail);
        _deployment = new TaskDeployment(job.Settings, graph, Number, restore, restored, this,
            (vertex, subtask) => string.Equals(placement[(vertex.Index, subtask)], taskManagerId, StringComparison.Ordinal), _remote, job.Metrics, _cancellation.Token);
        _runners = _deployment.Runners.ToDictionary(r => (r.Vertex.Index, r.SubtaskIndex));
    }

    public int Number { get; }

    public bool TakesFinalCheckpoint => _job.Settings.Checkpoints.IsEnabled && _job.Settings.Checkpoints.CheckpointDirectory is not null;

    public void Start()
    {
        _logger.LogInformation("Attempt {Attempt}: running {Subtasks} on TaskManager {TaskManager}", Number, string.Join(", ", _runners.Values.Select(r => r.Name)), _taskManagerId);
        _deployment.Start();
    }

    public void Trigger(TriggerCheckpoint message)
    {
        if (_runners.TryGetValue((message.Vertex, message.Subtask), out var runner))
        {
            ISubtaskGateway gateway = runner;
            if (message.Final)
            {
                gateway.TriggerFinalCheckpoint(message.CheckpointId, message.TimestampMs, message.Directory);
            }
            else
            {
                gateway.TriggerCheckpoint(message.CheckpointId, message.TimestampMs, message.Directory);
            }
        }
    }

    public void Outcome(CheckpointOutcome message)
    {
        if (_runners.TryGetValue((message.Vertex, message.Subtask), out var runner))
        {
            ISubtaskGateway gateway = runner;
            if (message.Completed)
            {
                gateway.NotifyCheckpointComplete(message.CheckpointId);
            }
            else
            {
                gateway.NotifyCheckpointAborted(message.CheckpointId);
            }
        }
    }

    /// <summary>Cancels the subtasks and waits until their threads ended.</summary>
    public async Task StopAsync()
    {
        await _cancellation.CancelAsync().ConfigureAwait(false);
        _deployment.CloseChannels();
        await _deployment.JoinAsync().ConfigureAwait(false);
        _server.ForgetAttempt(Number);
    }

    public void Acknowledge(long checkpointId, SubtaskRunner subtask, IReadOnlyList<(string Uid, StateFile File)> files) =>
        _jobManager.Tell(new CheckpointAcknowledged(Number, subtask.Vertex.Index, subtask.SubtaskIndex, checkpointId,
            [.. files.Select(f => new SubtaskStateFile(f.Uid, f.File.RelativePath, f.File.Digest.Length, f.File.Digest.Sha256))]));

    public void Decline(long checkpointId, SubtaskRunner subtask, Exception reason) =>
        _jobManager.Tell(new CheckpointDeclined(Number, subtask.Vertex.Index, subtask.SubtaskIndex, checkpointId, reason.Message));

    public void InputEnded(SubtaskRunner subtask) => _jobManager.Tell(new SubtaskInputEnded(Number, subtask.Vertex.Index, subtask.SubtaskIndex));

    public void SubtaskFinished(SubtaskRunner subtask) => _jobManager.Tell(new SubtaskFinished(Number, subtask.Vertex.Index, subtask.SubtaskIndex));

    public void Fail(Exception failure)
    {
        if (Interlocked.Exchange(ref _failed, 1) == 0)
        {
            _logger.LogWarning("Attempt {Attempt} failed on TaskManager {TaskManager}: {Failure}", Number, _taskManagerId, failure.Message);
            _cancellation.Cancel();
            _deployment.CloseChannels();
            _jobManager.Tell(new AttemptFailed(Number, _taskManagerId, failure.Message, SuppressRestartsException.Find(failure) is not null));
        }
    }
}
