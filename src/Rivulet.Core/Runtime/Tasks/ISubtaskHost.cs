using Rivulet.Core.Checkpointing;

namespace Rivulet.Core.Runtime.Tasks;

/// <summary>
/// What a subtask reports to the attempt running it — in process the attempt itself, on a
/// cluster the TaskManager, which passes it on to the JobManager. Called from subtask threads.
/// </summary>
internal interface ISubtaskHost
{
    /// <summary>Whether subtasks wait for a final checkpoint (and its completion) after their input ended.</summary>
    bool TakesFinalCheckpoint { get; }

    /// <summary>The subtask wrote its state for the checkpoint.</summary>
    void Acknowledge(long checkpointId, SubtaskRunner subtask, IReadOnlyList<(string Uid, StateFile File)> files);

    /// <summary>The subtask could not write its state for the checkpoint (storage trouble): the checkpoint fails, the job goes on.</summary>
    void Decline(long checkpointId, SubtaskRunner subtask, Exception reason);

    /// <summary>The subtask processed all of its input and passed the end on.</summary>
    void InputEnded(SubtaskRunner subtask);

    /// <summary>The subtask closed its operators after a normal end.</summary>
    void SubtaskFinished(SubtaskRunner subtask);

    /// <summary>The subtask failed: the attempt ends.</summary>
    void Fail(Exception failure);
}
