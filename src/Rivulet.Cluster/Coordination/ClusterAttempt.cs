using Akka.Actor;
using Microsoft.Extensions.Logging;
using Rivulet.Cluster.Control;
using Rivulet.Cluster.Scheduling;
using Rivulet.Core.Checkpointing;
using Rivulet.Core.Graph;
using Rivulet.Core.Recovery;
using Rivulet.Core.Runtime.Tasks;

namespace Rivulet.Cluster.Coordination;

/// <summary>
/// One attempt of the job across the cluster, run by the JobManager: waits for enough slots,
/// deploys every TaskManager's share of the subtasks, coordinates checkpoints, and ends when
/// every subtask finished — or at the first failure anywhere (a subtask, a broken data
/// connection, a lost TaskManager), after which it cancels the attempt on every TaskManager still
/// there and waits until their subtasks stopped, so the next attempt never overlaps this one.
/// </summary>
internal sealed class ClusterAttempt : IJobAttempt
{
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(30);
    private readonly ClusterJob _job;
    private readonly int _number;
    private readonly CompletedCheckpoint? _restore;
    private readonly TaskManagerRegistry _registry;
    private readonly IActorRef _jobManager;
    private readonly CancellationTokenSource _cancellation;
    private readonly CancellationToken _jobCancellation;
    private readonly ILogger _logger;
    private readonly CheckpointStorage? _storage;
    private readonly Action<CompletedCheckpoint> _onCheckpointCompleted;
    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly object _gate = new();
    private readonly HashSet<string> _stopped = new(StringComparer.Ordinal);
    private Dictionary<(int Vertex, int Subtask), RemoteSubtaskGateway> _gateways = [];
    private AttemptProgress _progress = null!;
    private JobGraph _graph = null!;
    private int? _parallelismCap;
    private Dictionary<string, RegisteredTaskManager> _participants = new(StringComparer.Ordinal);
    private TaskCompletionSource _allStopped = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public ClusterAttempt(ClusterJob job, int number, CompletedCheckpoint? restore, CheckpointStorage? storage, Action<CompletedCheckpoint> onCheckpointCompleted,
        TaskManagerRegistry registry, IActorRef jobManager, CancellationToken jobCancellation)
    {
        _jobManager = jobManager;
        _job = job;
        _number = number;
        _restore = restore;
        _registry = registry;
        _jobCancellation = jobCancellation;
        _cancellation = CancellationTokenSource.CreateLinkedTokenSource(jobCancellation);
        _logger = job.Settings.LoggerFactory.CreateLogger<ClusterAttempt>();
        _storage = storage;
        _onCheckpointCompleted = onCheckpointCompleted;
        Use(job.Graph, parallelismCap: null);
    }

    public int Number => _number;

    /// <summary>Checkpoints of this attempt's graph (replaced when the attempt rescales before it deploys).</summary>
    public CheckpointCoordinator? Coordinator { get; private set; }

    public async Task RunAsync()
    {
        var coordinator = Task.CompletedTask;
        var deployed = false;
        try
        {
            Deploy(await WaitForSlotsAsync().ConfigureAwait(false));
            deployed = true;
            coordinator = Coordinator?.RunAsync(_cancellation.Token) ?? Task.CompletedTask;
            await _completion.Task.WaitAsync(_jobCancellation).ConfigureAwait(false);
        }
        finally
        {
            Coordinator?.Stop();
            var failed = !_completion.Task.IsCompletedSuccessfully;
            await _cancellation.CancelAsync().ConfigureAwait(false);
            if (deployed && failed)
            {
                await StopEverywhereAsync().ConfigureAwait(false);
            }

            await coordinator.ConfigureAwait(false);
            _cancellation.Dispose();
        }
    }

    public void OnInputEnded(SubtaskInputEnded message)
    {
        if (_gateways.TryGetValue((message.Vertex, message.Subtask), out var subtask))
        {
            _logger.LogDebug("Attempt {Attempt}: {Subtask} processed all its input", _number, subtask.Name);
            _progress.InputEnded(subtask.Name, subtask.IsSource);
        }
    }

    public void OnFinished(SubtaskFinished message)
    {
        _logger.LogDebug("Attempt {Attempt}: subtask {Subtask} of vertex {Vertex} finished", _number, message.Subtask + 1, message.Vertex);
        if (_gateways.ContainsKey((message.Vertex, message.Subtask)) && _progress.Finished())
        {
            _completion.TrySetResult();
        }
    }

    public void OnAcknowledged(CheckpointAcknowledged message)
    {
        if (_gateways.TryGetValue((message.Vertex, message.Subtask), out var subtask))
        {
            Coordinator?.Acknowledge(message.CheckpointId, subtask, [.. message.Files.Select(f => (f.Uid, f.ToStateFile()))]);
        }
    }

    public void OnDeclined(CheckpointDeclined message)
    {
        if (_gateways.TryGetValue((message.Vertex, message.Subtask), out var subtask))
        {
            Coordinator?.Decline(message.CheckpointId, subtask, new IOException(message.Reason));
        }
    }

    public void OnFailed(AttemptFailed message) =>
        Fail(message.SuppressRestarts
            ? new SuppressRestartsException(new InvalidOperationException($"TaskManager {message.TaskManagerId}: {message.Reason}"))
            : new TaskManagerFailureException(message.TaskManagerId, message.Reason));

    /// <summary>A TaskManager left the cluster or stopped answering: if it ran subtasks of this attempt, the attempt fails.</summary>
    public void OnTaskManagerLost(RegisteredTaskManager taskManager)
    {
        bool participated;
        lock (_gate)
        {
            participated = _participants.Remove(taskManager.Id);
            MarkStopped(taskManager.Id);
        }

        if (participated)
        {
            Fail(new TaskManagerFailureException(taskManager.Id,
                $"lost: it stopped answering heartbeats (failure detection timeout {_job.Cluster.FailureDetectionTimeout.TotalSeconds:0.#} s) or left the cluster"));
        }
    }

    public void OnStopped(AttemptStopped message)
    {
        lock (_gate)
        {
            MarkStopped(message.TaskManagerId);
        }
    }

    public void Fail(Exception failure)
    {
        if (_completion.TrySetException(failure))
        {
            _logger.LogWarning("Job {Job} attempt {Attempt} failed: {Failure}", _job.Name, _number, failure.Message);
        }
    }

    /// <summary>The gateways, checkpoint coordinator and progress of a job graph.</summary>
    private void Use(JobGraph graph, int? parallelismCap)
    {
        _graph = graph;
        _parallelismCap = parallelismCap;
        var gateways = new Dictionary<(int Vertex, int Subtask), RemoteSubtaskGateway>();
        foreach (var vertex in graph.Vertices)
        {
            for (var subtask = 0; subtask < vertex.Parallelism; subtask++)
            {
                gateways[(vertex.Index, subtask)] = new RemoteSubtaskGateway(_number, vertex, subtask, _jobManager);
            }
        }

        _gateways = gateways;
        if (_storage is not null)
        {
            Coordinator = CheckpointCoordinator.ForAttempt(_job.Settings, _storage, _restore, [.. gateways.Values], graph, Fail, _onCheckpointCompleted, _job.Metrics, _logger);
        }

        _progress = new AttemptProgress(_job.Settings, gateways.Count, _logger) { Coordinator = Coordinator };
    }

    /// <summary>
    /// The TaskManagers to deploy to: once they offer the job's slots — or, with <see cref="SlotShortagePolicy.Rescale"/>,
    /// after <see cref="ClusterSettings.RescaleAfter"/>, whatever slots there are, the graph capped to them.
    /// </summary>
    private async Task<IReadOnlyList<RegisteredTaskManager>> WaitForSlotsAsync()
    {
        var required = SlotAssignment.RequiredSlots(_job.Graph);
        if (_job.Cluster.SlotShortage == SlotShortagePolicy.WaitForSlots)
        {
            return await _registry.WaitForSlotsAsync(required, _job.Cluster.SlotWaitTimeout, _cancellation.Token).ConfigureAwait(false);
        }

        try
        {
            return await _registry.WaitForSlotsAsync(required, _job.Cluster.RescaleAfter, _cancellation.Token).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            var taskManagers = await _registry.WaitForSlotsAsync(1, _job.Cluster.SlotWaitTimeout, _cancellation.Token).ConfigureAwait(false);
            var slots = taskManagers.Sum(t => t.Slots);
            if (slots < required)
            {
                _logger.LogWarning("Job {Job} attempt {Attempt}: {Slots} slot(s) after waiting {Wait} s for {Required}: rescaling to parallelism {Slots}",
                    _job.Name, _number, slots, _job.Cluster.RescaleAfter.TotalSeconds, required, slots);
                Use(_job.GraphFor(slots), slots);
            }

            return taskManagers;
        }
    }

    private void Deploy(IReadOnlyList<RegisteredTaskManager> taskManagers)
    {
        var placement = SlotAssignment.Assign(_graph, taskManagers);
        foreach (var ((vertex, subtask), taskManager) in placement)
        {
            _gateways[(vertex, subtask)].TaskManager = taskManager.Actor;
        }

        var participants = placement.Values.DistinctBy(t => t.Id).ToList();
        lock (_gate)
        {
            _participants = participants.ToDictionary(t => t.Id, StringComparer.Ordinal);
            _stopped.Clear();
            _allStopped = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        var placements = placement.Select(p => new SubtaskPlacement(p.Key.Vertex, p.Key.Subtask, p.Value.Id)).ToArray();
        var endpoints = participants.Select(t => new DataEndpoint(t.Id, t.DataHost, t.DataPort)).ToArray();
        var deploy = new DeployAttempt(_number, placements, endpoints, _restore?.Directory, _parallelismCap);
        _logger.LogInformation("Job {Job} attempt {Attempt}: deploying {Subtasks} subtasks to {TaskManagers} TaskManager(s){Restore}{Rescaled}", _job.Name, _number,
            placements.Length, participants.Count, _restore is null ? "" : $", restoring checkpoint {_restore.CheckpointId}",
            _parallelismCap is { } cap ? $", at parallelism {cap} (rescaled)" : "");
        foreach (var taskManager in participants)
        {
            // Lost between the wait and here: the attempt fails at once instead of waiting for it.
            if (!_registry.Contains(taskManager.Id))
            {
                OnTaskManagerLost(taskManager);
            }

            // The JobManager as sender: the TaskManager reports to it.
            taskManager.Actor.Tell(deploy, _jobManager);
        }
    }

    private async Task StopEverywhereAsync()
    {
        List<RegisteredTaskManager> running;
        Task allStopped;
        lock (_gate)
        {
            running = [.. _participants.Values.Where(t => !_stopped.Contains(t.Id))];
            allStopped = _allStopped.Task;
            if (running.Count == 0)
            {
                return;
            }
        }

        foreach (var taskManager in running)
        {
            taskManager.Actor.Tell(new CancelAttempt(_number), _jobManager);
        }

        try
        {
            await allStopped.WaitAsync(StopTimeout).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            _logger.LogWarning("Job {Job} attempt {Attempt}: TaskManager(s) {TaskManagers} did not confirm they stopped within {Timeout} s; going on",
                _job.Name, _number, string.Join(", ", running.Select(t => t.Id)), StopTimeout.TotalSeconds);
        }
    }

    private void MarkStopped(string taskManagerId)
    {
        _stopped.Add(taskManagerId);
        if (_participants.Keys.All(_stopped.Contains))
        {
            _allStopped.TrySetResult();
        }
    }
}
