using Microsoft.Extensions.Logging;
using Rivulet.Core.Checkpointing;
using Rivulet.Core.Graph;

namespace Rivulet.Core.Runtime.Tasks;

/// <summary>
/// One run of the job graph in this process: every subtask (a <see cref="TaskDeployment"/>) and
/// the checkpoint coordinator. Ends when every subtask finished, or at the first failure (then
/// every subtask is cancelled).
/// </summary>
internal sealed class ExecutionAttempt : IJobAttempt, ISubtaskHost
{
    private readonly JobSettings _settings;
    private readonly JobGraph _graph;
    private readonly int _attemptNumber;
    private readonly CancellationTokenSource _cancellation;
    private readonly CancellationToken _jobCancellation;
    private readonly TaskDeployment _deployment;
    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ILogger _logger;
    private readonly AttemptProgress _progress;
    private Exception? _failure;

    public ExecutionAttempt(JobSettings settings, JobGraph graph, int attemptNumber, CompletedCheckpoint? restore, CheckpointStorage? storage,
        JobMetrics metrics, Action<CompletedCheckpoint> onCheckpointCompleted, CancellationToken jobCancellation)
    {
        _settings = settings;
        _graph = graph;
        _attemptNumber = attemptNumber;
        _jobCancellation = jobCancellation;
        _cancellation = CancellationTokenSource.CreateLinkedTokenSource(jobCancellation);
        _logger = settings.LoggerFactory.CreateLogger<ExecutionAttempt>();
        var restored = restore is null ? null : CheckpointStorage.ReadMetadata(restore.Directory);
        if (restored is not null)
        {
            CheckRestoreMatchesJob(restored);
        }

        _deployment = new TaskDeployment(settings, graph, attemptNumber, restore, restored, this, static (_, _) => true, remote: null, metrics, _cancellation.Token);
        if (storage is not null)
        {
            Coordinator = CheckpointCoordinator.ForAttempt(settings, storage, restore, _deployment.Runners, graph, Fail, onCheckpointCompleted, metrics, _logger);
        }

        _progress = new AttemptProgress(settings, _deployment.Runners.Count, _logger) { Coordinator = Coordinator };
    }

    public CheckpointCoordinator? Coordinator { get; }

    /// <summary>Runs to the end; throws the first failure.</summary>
    public async Task RunAsync()
    {
        _deployment.Start();
        // Runs without periodic checkpoints too: it times out savepoints.
        var coordinator = Coordinator?.RunAsync(_cancellation.Token) ?? Task.CompletedTask;

        try
        {
            // Subtasks cancelled from outside end without reporting; the job's token ends the wait.
            await _completion.Task.WaitAsync(_jobCancellation).ConfigureAwait(false);
        }
        finally
        {
            Coordinator?.Stop();
            await _cancellation.CancelAsync().ConfigureAwait(false);
            _deployment.CloseChannels();
            await _deployment.JoinAsync().ConfigureAwait(false);
            await coordinator.ConfigureAwait(false);
            _cancellation.Dispose();
        }
    }

    /// <summary>
    /// Whether the job ends with a final checkpoint once all input is processed: with checkpoints
    /// on, subtasks wait for it (and its completion) before they close.
    /// </summary>
    public bool TakesFinalCheckpoint => _progress.TakesFinalCheckpoint;

    public void Acknowledge(long checkpointId, SubtaskRunner subtask, IReadOnlyList<(string Uid, StateFile File)> files) =>
        Coordinator?.Acknowledge(checkpointId, subtask, files);

    public void Decline(long checkpointId, SubtaskRunner subtask, Exception reason) => Coordinator?.Decline(checkpointId, subtask, reason);

    public void InputEnded(SubtaskRunner subtask) => _progress.InputEnded(subtask.Name, subtask.IsSource);

    public void SubtaskFinished(SubtaskRunner subtask)
    {
        if (_progress.Finished())
        {
            _completion.TrySetResult();
        }
    }

    public void Fail(Exception failure)
    {
        if (Interlocked.CompareExchange(ref _failure, failure, null) is null)
        {
            _logger.LogWarning("Job {Job} attempt {Attempt} failed: {Failure}", _settings.JobName, _attemptNumber, failure.Message);
            _cancellation.Cancel();
            _deployment.CloseChannels();
            _completion.TrySetException(failure);
        }
    }

    private void CheckRestoreMatchesJob(CheckpointMetadata restored)
    {
        var uids = _graph.Vertices.SelectMany(v => v.Chain).Select(n => n.EffectiveUid).ToHashSet(StringComparer.Ordinal);
        var unmatched = restored.Operators.Where(o => !uids.Contains(o.Uid)).ToList();
        if (unmatched.Count > 0 && !_settings.AllowNonRestoredState)
        {
            throw new InvalidOperationException(
                $"Checkpoint {restored.CheckpointId} holds state for operator(s) {string.Join(", ", unmatched.Select(o => $"'{o.Name}' (uid '{o.Uid}')"))} " +
                "that match no operator of this job — was a uid changed? Set the old uid with .Uid(...), or allow dropping that state " +
                "with SetStateRestorePath(path, allowNonRestoredState: true).");
        }
    }
}
