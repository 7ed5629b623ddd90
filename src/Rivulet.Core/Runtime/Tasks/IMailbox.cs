namespace Rivulet.Core.Runtime.Tasks;

/// <summary>
/// A subtask's mailbox as its operators see it: work handed in from other threads runs on the
/// subtask's own thread, and an operator that must wait (a full async queue) keeps that mail flowing.
/// </summary>
internal interface IMailbox
{
    /// <summary>Queues <paramref name="mail"/> for the subtask's thread (thread-safe).</summary>
    void Post(Action mail);

    /// <summary>On the subtask's thread: runs pending mail, or waits up to <paramref name="wait"/> for some and runs it.</summary>
    /// <exception cref="OperationCanceledException">The attempt was cancelled.</exception>
    void Yield(TimeSpan wait);
}
