using Microsoft.Extensions.Logging;
using Rivulet.Core.Graph;
using Rivulet.Core.Runtime;
using Rivulet.Core.Runtime.Tasks;

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
    private readonly IReadOnlyList<ISubtaskGateway> _subtasks;
    private readonly JobGraph _graph;
    private readonly int _maxParallelism;
    private readonly Action<Exception> _failJob;
    private readonly Action<CompletedCheckpoint> _onCompleted;
    private readonly JobMetrics _metrics;
    private readonly ILogger _logger;
    private readonly TimeProvider _clock;
    private readonly SortedDictionary<long, PendingCheckpoint> _pending = [];
    private long _nextCheckpointId;
    private int _consecutiveFailures;
    // The interval runs from trigger to trigger, and the first periodic checkpoint comes one
    // interval after the start (as in Flink); the minimum pause runs from the end of the last one.
    private DateTimeOffset _lastTrigger;
    private DateTimeOffset _lastEnd = DateTimeOffset.MinValue;
    private int _completing;
    private bool _stopped;
    private bool _periodicStopped;
    private bool _finalTriggered;

    public CheckpointCoordinator(CheckpointConfig config, CheckpointStorage storage, string jobName, IReadOnlyList<ISubtaskGateway> subtasks, JobGraph graph,
        int maxParallelism, long firstCheckpointId, Action<Exception> failJob, Action<CompletedCheckpoint> onCompleted, JobMetrics metrics, TimeProvider clock, ILogger logger)
    {
        _clock = clock;
        _lastTrigger = clock.GetUtcNow();
        _config = config;
        _storage = storage;
        _jobName = jobName;
        _subtasks = subtasks;
        _graph = graph;
        _maxParallelism = maxParallelism;
        _nextCheckpointId = firstCheckpointId;
        _failJob = failJob;
        _onCompleted = onCompleted;
        _metrics = metrics;
        _logger = logger;
    }

    /// <summary>
    /// The coordinator of one attempt of a job. Its first checkpoint id lies above the restored
    /// checkpoint's and above anything in <paramref name="storage"/>: an earlier run's or a failed
    /// attempt's checkpoints are never overwritten, and the newest checkpoint there is always this
    /// job's latest. Without periodic checkpoints it still takes savepoints.
    /// </summary>
    public static CheckpointCoordinator ForAttempt(JobSettings settings, CheckpointStorage storage, CompletedCheckpoint? restore, IReadOnlyList<ISubtaskGateway> subtasks,
        JobGraph graph, Action<Exception> failJob, Action<CompletedCheckpoint> onCompleted, JobMetrics metrics, ILogger logger)
    {
        var firstCheckpointId = Math.Max(restore?.CheckpointId ?? 0, storage.HighestCheckpointId()) + 1;
        return new CheckpointCoordinator(settings.Checkpoints.IsEnabled ? settings.Checkpoints : new CheckpointConfig(), storage, settings.JobName,
            subtasks, graph, settings.MaxParallelism, firstCheckpointId, failJob, onCompleted, metrics, settings.Clock, logger);
    }

    /// <summary>The periodic trigger loop; ends with the attempt.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                // Also without periodic checkpoints the loop runs: it times out savepoints.
                var tick = _config.IsEnabled ? Math.Min(_config.Interval.TotalMilliseconds, 50) : 50;
                await Task.Delay(TimeSpan.FromMilliseconds(tick), _clock, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            AbortExpired();
            if (_config.IsEnabled)
            {
                TriggerIfDue();
            }
        }
    }

    /// <summary>Takes a savepoint into <paramref name="directory"/>; completes when it is durable.</summary>
    public Task<CompletedCheckpoint> TriggerSavepointAsync(string directory) => Trigger(Path.GetFullPath(directory), isSavepoint: true)
        ?? throw new InvalidOperationException("The job cannot take a savepoint now (it is finishing or failing).");

    public void Acknowledge(long checkpointId, ISubtaskGateway subtask, IReadOnlyList<(string Uid, StateFile File)> files)
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
                pending.Files[(uid, subtask.SubtaskIndex)] = file;
            }

            pending.Acknowledged.Add(subtask);
            if (pending.Acknowledged.Count == _subtasks.Count)
            {
                _pending.Remove(checkpointId);
                // Still in flight until its metadata is written: counts against the concurrency limit.
                _completing++;
                completed = pending;
            }
        }

        if (completed is not null)
        {
            try
            {
                Complete(completed);
            }
            finally
            {
                lock (_gate)
                {
                    _completing--;
                    _lastEnd = _clock.GetUtcNow();
                }
            }
        }
    }

    /// <summary>
    /// A subtask could not write its part of checkpoint <paramref name="checkpointId"/> (storage
    /// trouble): the checkpoint fails — counted against the tolerable failures — but the job goes on.
    /// </summary>
    public void Decline(long checkpointId, ISubtaskGateway subtask, Exception reason)
    {
        PendingCheckpoint? declined;
        lock (_gate)
        {
            if (!_pending.Remove(checkpointId, out declined))
            {
                return;
            }

            _lastEnd = _clock.GetUtcNow();
        }

        Failed(declined, new CheckpointException($"Checkpoint {checkpointId} was declined by {subtask.Name}: {reason.Message}", reason));
    }

    /// <summary>
    /// Takes the final checkpoint of a job whose every subtask has processed all of its input
    /// (Flink's final checkpoint): no barrier is needed, nothing is in flight; each subtask
    /// snapshots as it stands. Sinks make their last writes visible when it completes, so the end
    /// of a bounded job is exactly-once too. A final checkpoint that fails fails the job.
    /// </summary>
    public void TriggerFinalCheckpoint()
    {
        PendingCheckpoint pending;
        lock (_gate)
        {
            if (_finalTriggered)
            {
                return;
            }

            _finalTriggered = true;
            var id = _nextCheckpointId++;
            var directory = _storage.DirectoryFor(id);
            while (Directory.Exists(directory))
            {
                id = _nextCheckpointId++;
                directory = _storage.DirectoryFor(id);
            }

            pending = new PendingCheckpoint(id, _clock.GetUtcNow(), directory, isSavepoint: false) { IsFinal = true };
            _pending[id] = pending;
        }

        _logger.LogInformation("All input of job {Job} is processed: taking final checkpoint {CheckpointId}", _jobName, pending.CheckpointId);
        var timestamp = pending.Started.ToUnixTimeMilliseconds();
        foreach (var subtask in _subtasks)
        {
            subtask.TriggerFinalCheckpoint(pending.CheckpointId, timestamp, pending.Directory);
        }
    }

    /// <summary>Stops periodic checkpoints (a source finished) and aborts what is pending; the final checkpoint can still be taken.</summary>
    public void StopPeriodic()
    {
        List<PendingCheckpoint> aborted;
        lock (_gate)
        {
            _periodicStopped = true;
            aborted = [.. _pending.Values.Where(p => !p.IsFinal)];
            foreach (var pending in aborted)
            {
                _pending.Remove(pending.CheckpointId);
            }
        }

        foreach (var pending in aborted)
        {
            pending.Completion.TrySetException(new InvalidOperationException($"Checkpoint {pending.CheckpointId} was aborted: a source finished."));
        }
    }

    /// <summary>Stops triggering (the attempt ends) and aborts what is pending.</summary>
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
            if (_stopped || _periodicStopped || _pending.Count + _completing >= _config.MaxConcurrentCheckpoints)
            {
                return;
            }

            var now = _clock.GetUtcNow();
            if (now - _lastTrigger < _config.Interval)
            {
                return;
            }

            // A pause is a pause between checkpoints: with one set, none overlaps the next.
            if (_config.MinPauseBetweenCheckpoints > TimeSpan.Zero && (_pending.Count + _completing > 0 || now - _lastEnd < _config.MinPauseBetweenCheckpoints))
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
            if (_stopped || _periodicStopped)
            {
                return null;
            }

            var id = _nextCheckpointId++;
            var directory = savepointDirectory ?? _storage.DirectoryFor(id);
            while (!isSavepoint && Directory.Exists(directory))
            {
                // Ids start above every checkpoint in the directory, so this is another job
                // writing here at the same time: never touch its checkpoints, take the next id.
                _logger.LogWarning("Checkpoint directory {Directory} already exists; is another job using {Root}?", directory, _storage.Root);
                id = _nextCheckpointId++;
                directory = _storage.DirectoryFor(id);
            }

            pending = new PendingCheckpoint(id, _clock.GetUtcNow(), directory, isSavepoint);
            _pending[id] = pending;
            _lastTrigger = pending.Started;
        }

        var timestamp = pending.Started.ToUnixTimeMilliseconds();
        foreach (var source in _subtasks.Where(s => s.IsSource))
        {
            source.TriggerCheckpoint(pending.CheckpointId, timestamp, pending.Directory);
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
                    SubtaskFiles = [.. Enumerable.Range(0, v.Parallelism).Select(i => pending.Files[(node.EffectiveUid, i)].RelativePath)],
                    SubtaskFileDigests = [.. Enumerable.Range(0, v.Parallelism).Select(i => pending.Files[(node.EffectiveUid, i)].Digest)],
                }))
                .ToList();
            CheckpointStorage.CommitMetadata(pending.Directory, new CheckpointMetadata
            {
                CheckpointId = pending.CheckpointId,
                TimestampMs = pending.Started.ToUnixTimeMilliseconds(),
                JobName = _jobName,
                IsSavepoint = pending.IsSavepoint,
                Operators = operators,
            });
        }
        catch (Exception e)
        {
            _logger.LogWarning(e, "Checkpoint {CheckpointId} could not be completed", pending.CheckpointId);
            Failed(pending, e);
            return;
        }

        // From here on the checkpoint is complete — its _metadata is in place, and any process
        // restoring picks it — so nothing below may count it as failed: one truth for all.
        try
        {
            _storage.SyncNames(pending.Directory);
        }
        catch (IOException e)
        {
            _logger.LogWarning(e, "Checkpoint {CheckpointId} is complete, but flushing its directory entries failed: after a machine crash (not a process crash) " +
                "the job could come back from an earlier checkpoint", pending.CheckpointId);
        }

        if (!pending.IsSavepoint)
        {
            try
            {
                foreach (var problem in _storage.Prune(_config.NumberOfRetainedCheckpoints))
                {
                    _logger.LogWarning("Could not delete an old checkpoint (the next checkpoint tries again): {Problem}", problem);
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                _logger.LogWarning(e, "Could not look for old checkpoints to delete in {Root}", _storage.Root);
            }
        }

        lock (_gate)
        {
            _consecutiveFailures = 0;
        }

        var completed = new CompletedCheckpoint(pending.CheckpointId, pending.Directory);
        _metrics.CheckpointCompleted(_clock.GetUtcNow() - pending.Started);
        _onCompleted(completed);
        foreach (var subtask in _subtasks)
        {
            subtask.NotifyCheckpointComplete(pending.CheckpointId);
        }

        pending.Completion.TrySetResult(completed);
    }

    private void AbortExpired()
    {
        List<PendingCheckpoint> expired;
        lock (_gate)
        {
            var now = _clock.GetUtcNow();
            expired = [.. _pending.Values.Where(p => now - p.Started > _config.Timeout)];
            foreach (var pending in expired)
            {
                _pending.Remove(pending.CheckpointId);
                _lastEnd = now;
            }
        }

        foreach (var pending in expired)
        {
            Failed(pending, new TimeoutException($"Checkpoint {pending.CheckpointId} expired before completing (timeout {_config.Timeout.TotalMilliseconds} ms)."));
        }
    }

    private void Failed(PendingCheckpoint pending, Exception reason)
    {
        if (pending.IsFinal)
        {
            _metrics.CheckpointFailed();
            pending.Completion.TrySetException(reason);
            _failJob(new CheckpointException(
                $"The final checkpoint {pending.CheckpointId} failed, so the job's last writes cannot be made visible exactly once; it restarts from its latest checkpoint: {reason.Message}",
                reason));
            return;
        }

        _metrics.CheckpointFailed();
        pending.Completion.TrySetException(reason);
        foreach (var subtask in _subtasks)
        {
            subtask.NotifyCheckpointAborted(pending.CheckpointId);
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

        /// <summary>The final checkpoint at the end of all input: its failure fails the job.</summary>
        public bool IsFinal { get; init; }

        public HashSet<ISubtaskGateway> Acknowledged { get; } = [];

        public Dictionary<(string Uid, int Subtask), StateFile> Files { get; } = [];

        public TaskCompletionSource<CompletedCheckpoint> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}

/// <summary>Checkpoints failed more often than tolerated.</summary>
public sealed class CheckpointException(string message, Exception inner) : Exception(message, inner);
