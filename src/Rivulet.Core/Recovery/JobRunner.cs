using Microsoft.Extensions.Logging;
using Rivulet.Core.Checkpointing;
using Rivulet.Core.Graph;
using Rivulet.Core.Runtime;
using Rivulet.Core.Runtime.Tasks;

namespace Rivulet.Core.Recovery;

/// <summary>
/// Runs attempts of a job until one finishes: after a failure the restart strategy decides, and
/// the next attempt restores every operator from the latest completed checkpoint. Attempts run in
/// this process unless <paramref name="attempts"/> creates them elsewhere (a cluster).
/// </summary>
internal sealed class JobRunner(JobSettings settings, JobGraph graph, JobMetrics metrics, JobAttemptFactory? attempts = null)
{
    private readonly JobAttemptFactory _attempts = attempts ?? ((number, restore, storage, onCompleted, cancellation) =>
        new ExecutionAttempt(settings, graph, number, restore, storage, metrics, onCompleted, cancellation));

    private readonly ILogger _logger = settings.LoggerFactory.CreateLogger<JobRunner>();
    private readonly TaskCompletionSource<IJobAttempt> _firstAttempt = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile IJobAttempt? _current;
    private CompletedCheckpoint? _latest;

    public CompletedCheckpoint? LatestCompletedCheckpoint => Volatile.Read(ref _latest);

    public IJobAttempt? CurrentAttempt => _current;

    /// <summary>Completes once the first attempt is built (its coordinator can take savepoints).</summary>
    public Task<IJobAttempt> Started => _firstAttempt.Task;

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            await RunAttemptsAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            _firstAttempt.TrySetException(e);
            throw;
        }
    }

    private async Task RunAttemptsAsync(CancellationToken cancellationToken)
    {
        var storage = settings.Checkpoints.CheckpointDirectory is { } dir ? settings.OpenCheckpointStorage(dir) : null;
        CompletedCheckpoint? restore = null;
        if (settings.ResumeFromLatestCheckpoint && storage?.FindLatestCompleted() is { } latest)
        {
            restore = latest;
            _logger.LogInformation("Job {Job} resumes from checkpoint {CheckpointId} in {Directory}", settings.JobName, latest.CheckpointId, latest.Directory);
        }
        else if (settings.InitialRestorePath is { } path)
        {
            var metadata = CheckpointStorage.ReadMetadata(path);
            restore = new CompletedCheckpoint(metadata.CheckpointId, Directory.Exists(path) ? Path.GetFullPath(path) : Path.GetDirectoryName(Path.GetFullPath(path))!);
        }

        Volatile.Write(ref _latest, restore);
        var backoff = settings.RestartStrategy.CreateBackoff();
        for (var attemptNumber = 0; ; attemptNumber++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (attemptNumber > 0 && storage?.FindLatestCompleted() is { } stored && stored.CheckpointId > (Volatile.Read(ref _latest)?.CheckpointId ?? 0))
            {
                // The directory is the truth: a checkpoint whose _metadata is in place is complete,
                // even when this process learned of it too late (it failed right after the rename).
                Volatile.Write(ref _latest, stored);
            }

            var started = settings.Clock.GetUtcNow();
            var attempt = _attempts(attemptNumber, Volatile.Read(ref _latest), storage, completed => Volatile.Write(ref _latest, completed), cancellationToken);
            _current = attempt;
            _firstAttempt.TrySetResult(attempt);
            try
            {
                await attempt.RunAsync().ConfigureAwait(false);
                return;
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested)
            {
                if (SuppressRestartsException.Find(e) is not null)
                {
                    throw new JobExecutionException($"Job '{settings.JobName}' failed with an error that restarting cannot fix: {e.Message}", e);
                }

                var delay = backoff.OnFailure(settings.Clock.GetUtcNow(), started);
                if (delay is null)
                {
                    throw new JobExecutionException(
                        $"Job '{settings.JobName}' failed and the restart strategy ({settings.RestartStrategy.Describe()}) gives up: {e.Message}", e);
                }

                metrics.Restarted();
                _logger.LogWarning("Job {Job} restarts in {Delay} ms (attempt {Attempt}) from checkpoint {CheckpointId}: {Failure}",
                    settings.JobName, delay.Value.TotalMilliseconds, attemptNumber + 1, LatestCompletedCheckpoint?.CheckpointId, e.Message);
                await Task.Delay(delay.Value, settings.Clock, cancellationToken).ConfigureAwait(false);
            }
        }
    }
}

/// <summary>The job failed for good.</summary>
public sealed class JobExecutionException(string message, Exception inner) : Exception(message, inner);
