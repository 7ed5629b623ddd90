using Microsoft.Extensions.Logging;
using Rivulet.Core.Checkpointing;

namespace Rivulet.Core.Runtime.Tasks;

/// <summary>
/// How far the subtasks of an attempt got, wherever they run: once every subtask's input ended the
/// final checkpoint is taken; once every subtask finished the attempt is done. A source that ends
/// while others go on stops periodic checkpoints (a barrier can no longer pass it). Thread-safe.
/// </summary>
internal sealed class AttemptProgress(JobSettings settings, int subtasks, ILogger logger)
{
    private int _inputEnded;
    private int _finished;
    private int _warnedAboutFinishedSource;

    /// <summary>Set once the attempt has it.</summary>
    public CheckpointCoordinator? Coordinator { get; set; }

    /// <summary>Whether subtasks wait for a final checkpoint (and its completion) after their input ended.</summary>
    public bool TakesFinalCheckpoint => settings.Checkpoints.IsEnabled && Coordinator is not null;

    public void InputEnded(string subtask, bool isSource)
    {
        if (isSource)
        {
            if (settings.Checkpoints.IsEnabled && Interlocked.CompareExchange(ref _warnedAboutFinishedSource, 1, 0) == 0 && Volatile.Read(ref _inputEnded) + 1 < subtasks)
            {
                logger.LogWarning(
                    "{Subtask} finished while the job goes on: no further periodic checkpoints are taken for job {Job} until it ends (as in Flink before 1.14), " +
                    "so offsets are no longer committed and transactional sinks commit only at the job's final checkpoint. Keep every source running, or end the job.",
                    subtask, settings.JobName);
            }

            Coordinator?.StopPeriodic();
        }

        if (Interlocked.Increment(ref _inputEnded) == subtasks && TakesFinalCheckpoint)
        {
            Coordinator!.TriggerFinalCheckpoint();
        }
    }

    /// <summary>A subtask finished; true when it was the last one.</summary>
    public bool Finished() => Interlocked.Increment(ref _finished) == subtasks;
}
