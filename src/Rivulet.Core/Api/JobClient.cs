using Rivulet.Core.Checkpointing;
using Rivulet.Core.Recovery;
using Rivulet.Core.Runtime;

namespace Rivulet.Core.Api;

/// <summary>A running job: wait for it, cancel it, take savepoints, read its checkpoints and counters.</summary>
public sealed class JobClient
{
    private readonly JobRunner _runner;
    private readonly CancellationTokenSource _cancellation;

    internal JobClient(string jobName, JobRunner runner, JobMetrics metrics, CancellationTokenSource cancellation, Task completion)
    {
        JobName = jobName;
        _runner = runner;
        Metrics = metrics;
        _cancellation = cancellation;
        Completion = completion;
    }

    /// <summary>A random id of this start of the job, not stored anywhere: checkpoints belong to the job by <see cref="JobName"/>.</summary>
    public Guid JobId { get; } = Guid.NewGuid();

    /// <summary>The name the job was started with; its checkpoints record it.</summary>
    public string JobName { get; }

    /// <summary>The job's counters (checkpoints, restarts, late records, channel statistics), kept across restarts.</summary>
    public JobMetrics Metrics { get; }

    /// <summary>Completes when the job finished; faults with <see cref="JobExecutionException"/> when it failed for good.</summary>
    public Task Completion { get; }

    /// <summary>The latest checkpoint or savepoint that completed, or else the one the job was restored from; null when there is none.</summary>
    public CompletedCheckpoint? LastCompletedCheckpoint => _runner.LatestCompletedCheckpoint;

    /// <summary>
    /// Cancels the job and returns once it has stopped: every subtask ended and no checkpoint is
    /// completing any more, so <see cref="LastCompletedCheckpoint"/> is final. A failure the job
    /// met before stays in <see cref="Completion"/>.
    /// </summary>
    public async Task CancelAsync()
    {
        await _cancellation.CancelAsync().ConfigureAwait(false);
        try
        {
            await Completion.ConfigureAwait(false);
        }
        catch (Exception) when (Completion.IsCompleted)
        {
            // Cancelled, or failed before: Completion tells which.
        }
    }

    /// <summary>
    /// Takes a savepoint into <paramref name="directory"/>, then cancels the job and returns the
    /// savepoint once every subtask has stopped (Flink's stop-with-savepoint). Restoring it continues
    /// exactly where it was taken: output an exactly-once sink wrote after its barrier belongs to a
    /// transaction that is never committed, and the restored job writes it again.
    /// </summary>
    public async Task<CompletedCheckpoint> StopWithSavepointAsync(string directory)
    {
        var savepoint = await TriggerSavepointAsync(directory).ConfigureAwait(false);
        await CancelAsync().ConfigureAwait(false);
        return savepoint;
    }

    /// <summary>Takes a savepoint of the running job into <paramref name="directory"/>.</summary>
    public async Task<CompletedCheckpoint> TriggerSavepointAsync(string directory)
    {
        await _runner.Started.ConfigureAwait(false);
        var coordinator = _runner.CurrentAttempt?.Coordinator
            ?? throw new InvalidOperationException("Savepoints need a checkpoint directory (CheckpointConfig.CheckpointDirectory).");
        return await coordinator.TriggerSavepointAsync(directory).ConfigureAwait(false);
    }
}
