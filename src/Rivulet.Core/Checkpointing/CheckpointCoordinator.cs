using Microsoft.Extensions.Logging;
using Rivulet.Core.Graph;
using Rivulet.Core.Runtime;

namespace Rivulet.Core.Checkpointing;

/// <summary>
/// Triggers checkpoints at the sources, collects every subtask's acknowledgement, and completes a
/// checkpoint by writing its metadata atomically — only then are subtasks told it is complete.
/// Checkpoints that time out are aborted (and subtasks told so); more failures in a row than
/// tolerated fail the job.
/// </summary>
internal sealed class CheckpointCoordinator
{
    private readonly object _gate = new();
    private readonly CheckpointConfig _config;
    private readonly CheckpointStorage _storage;
    private readonly string _jobName;
    private readonly IReadOnlyList<SubtaskRunner> _runners;
    private readonly JobGraph _graph;
    private readonly int _maxParallelism;
    private readonly Action<Exception> _failJob;
    private readonly Action<CompletedCheckpoint> _onCompleted;
    private readonly JobMetrics _metrics;
    private readonly ILogger _logger;
    private readonly SortedDictionary<long, PendingCheckpoint> _pending = [];
    private long _nextCheckpointId;
    private int _consecutiveFailures;
    // The first periodic checkpoint comes one interval after the start (as in Flink), not at once.
    private DateTimeOffset _lastCompletion = DateTimeOffset.UtcNow;
    private bool _stopped;

    public CheckpointCoordinator(CheckpointConfig config, CheckpointStorage storage, string jobName, IReadOnlyList<SubtaskRunner> runners, JobGraph graph,
        int maxParallelism, long firstCheckpointId, Action<Exception> failJob, Action<CompletedCheckpoint> onCompleted, JobMetrics metrics, ILogger logger)
    {
        _config = config;
        _storage = storage;
        _jobName = jobName;
        _runners = runners;
        _graph = graph;
        _maxParallelism = maxParallelism;
        _nextCheckpointId = firstCheckpointId;
        _failJob = failJob;
        _onCompleted = onCompleted;
        _metrics = metrics;
        _logger = logger;
    }

    public string DirectoryFor(long checkpointId)
    {
        lock (_gate)
        {
            return _pending.TryGetValue(checkpointId, out var pending) ? pending.Directory : _storage.DirectoryFor(checkpointId);
        }
    }

    /// <summary>The periodic trigger loop; ends with the attempt.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(_config.Interval.TotalMilliseconds, 50)), cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            AbortExpired();
            TriggerIfDue();
        }
    }

    /// <summary>Takes a savepoint into <paramref name="directory"/>; completes when it is durable.</summary>
    public Task<CompletedCheckpoint> TriggerSavepointAsync(string directory) => Trigger(Path.GetFullPath(directory), isSavepoint: true)
        ?? throw new InvalidOperationException("The job cannot take a savepoint now (it is finishing or failing).");

    public void Acknowledge(long checkpointId, SubtaskRunner runner, IReadOnlyList<(string Uid, string File)> files)
    {
        PendingCheckpoint? completed = null;
        lock (_gate)
        {
            if (!_pending.TryGetValue(checkpointId, out var pending))
            {
                return;
            }

            foreach (var (uid, file) in files)
            {
                pending.Files[(uid, runner.SubtaskIndex)] = file;
            }

            pending.Acknowledged.Add(runner);
            if (pending.Acknowledged.Count == _runners.Count)
            {
                _pending.Remove(checkpointId);
                completed = pending;
            }
        }

        if (completed is not null)
        {
            Complete(completed);
        }
    }

    /// <summary>Stops triggering (a source finished, or the attempt ends) and aborts what is pending.</summary>
    public void Stop()
    {
        List<PendingCheckpoint> aborted;
        lock (_gate)
        {
            _stopped = true;
            aborted = [.. _pending.Values];
            _pending.Clear();
        }

        foreach (var pending in aborted)
        {
            pending.Completion.TrySetException(new InvalidOperationException($"Checkpoint {pending.CheckpointId} was aborted: the job is finishing or failing."));
        }
    }

    private void TriggerIfDue()
    {
        lock (_gate)
        {
            if (_stopped || _pending.Count >= _config.MaxConcurrentCheckpoints)
            {
                return;
            }

            var sinceLast = DateTimeOffset.UtcNow - _lastCompletion;
            if (sinceLast < _config.Interval || sinceLast < _config.MinPauseBetweenCheckpoints)
            {
                return;
            }
        }

        _ = Trigger(null, isSavepoint: false);
    }

    private Task<CompletedCheckpoint>? Trigger(string? savepointDirectory, bool isSavepoint)
    {
        PendingCheckpoint pending;
        lock (_gate)
        {
            if (_stopped)
            {
                return null;
            }

            var id = _nextCheckpointId++;
            var directory = savepointDirectory ?? _storage.DirectoryFor(id);
            if (!isSavepoint && Directory.Exists(directory))
            {
                // Left by an attempt that failed before completing it.
                Directory.Delete(directory, recursive: true);
            }

            pending = new PendingCheckpoint(id, DateTimeOffset.UtcNow, directory, isSavepoint);
            _pending[id] = pending;
            // Counts from the trigger: an idle pipeline still checkpoints at the interval.
            _lastCompletion = pending.Started;
        }

        var timestamp = pending.Started.ToUnixTimeMilliseconds();
        foreach (var runner in _runners.Where(r => r.IsSource))
        {
            runner.Post(() => runner.PerformCheckpoint(pending.CheckpointId, timestamp, pending.Directory));
        }

        return pending.Completion.Task;
    }

    private void Complete(PendingCheckpoint pending)
    {
        try
        {
            var operators = _graph.Vertices
                .SelectMany(v => v.Chain.Select(node => new OperatorStateMetadata
                {
                    Uid = node.EffectiveUid,
                    Name = node.Name,
                    Parallelism = v.Parallelism,
                    MaxParallelism = _maxParallelism,
                    SubtaskFiles = [.. Enumerable.Range(0, v.Parallelism).Select(i => pending.Files[(node.EffectiveUid, i)])],
                }))
                .ToList();
            CheckpointStorage.WriteMetadata(pending.Directory, new CheckpointMetadata
            {
                CheckpointId = pending.CheckpointId,
                TimestampMs = pending.Started.ToUnixTimeMilliseconds(),
                JobName = _jobName,
                IsSavepoint = pending.IsSavepoint,
                Operators = operators,
            });
            if (!pending.IsSavepoint)
            {
                _storage.Prune(_config.NumberOfRetainedCheckpoints);
            }
        }
        catch (Exception e)
        {
            _logger.LogWarning(e, "Checkpoint {CheckpointId} could not be completed", pending.CheckpointId);
            Failed(pending, e);
            return;
        }

        lock (_gate)
        {
            _consecutiveFailures = 0;
            _lastCompletion = DateTimeOffset.UtcNow;
        }

        var completed = new CompletedCheckpoint(pending.CheckpointId, pending.Directory);
        _metrics.CheckpointCompleted(DateTimeOffset.UtcNow - pending.Started);
        _onCompleted(completed);
        foreach (var runner in _runners)
        {
            runner.Post(() => runner.NotifyCheckpointComplete(pending.CheckpointId));
        }

        pending.Completion.TrySetResult(completed);
    }

    private void AbortExpired()
    {
        List<PendingCheckpoint> expired;
        lock (_gate)
        {
            var now = DateTimeOffset.UtcNow;
            expired = [.. _pending.Values.Where(p => now - p.Started > _config.Timeout)];
            foreach (var pending in expired)
            {
                _pending.Remove(pending.CheckpointId);
            }
        }

        foreach (var pending in expired)
        {
            Failed(pending, new TimeoutException($"Checkpoint {pending.CheckpointId} expired before completing (timeout {_config.Timeout.TotalMilliseconds} ms)."));
        }
    }

    private void Failed(PendingCheckpoint pending, Exception reason)
    {
        _metrics.CheckpointFailed();
        pending.Completion.TrySetException(reason);
        foreach (var runner in _runners)
        {
            runner.Post(() => runner.NotifyCheckpointAborted(pending.CheckpointId));
        }

        int failures;
        lock (_gate)
        {
            failures = ++_consecutiveFailures;
        }

        _logger.LogWarning("Checkpoint {CheckpointId} failed ({Failures} in a row): {Reason}", pending.CheckpointId, failures, reason.Message);
        if (failures > _config.TolerableCheckpointFailureNumber)
        {
            _failJob(new CheckpointException(
                $"{failures} checkpoint(s) failed in a row, more than the tolerable {_config.TolerableCheckpointFailureNumber} " +
                $"(CheckpointConfig.TolerableCheckpointFailureNumber). Last: {reason.Message}", reason));
        }
    }

    private sealed class PendingCheckpoint(long checkpointId, DateTimeOffset started, string directory, bool isSavepoint)
    {
        public long CheckpointId { get; } = checkpointId;

        public DateTimeOffset Started { get; } = started;

        public string Directory { get; } = directory;

        public bool IsSavepoint { get; } = isSavepoint;

        public HashSet<SubtaskRunner> Acknowledged { get; } = [];

        public Dictionary<(string Uid, int Subtask), string> Files { get; } = [];

        public TaskCompletionSource<CompletedCheckpoint> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}

/// <summary>Checkpoints failed more often than tolerated.</summary>
public sealed class CheckpointException(string message, Exception inner) : Exception(message, inner);
