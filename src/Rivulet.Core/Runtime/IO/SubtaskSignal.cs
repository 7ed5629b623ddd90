namespace Rivulet.Core.Runtime.IO;

/// <summary>Wakes a subtask's loop when input or mail arrives.</summary>
internal sealed class SubtaskSignal
{
    private readonly ManualResetEventSlim _event = new(false);

    /// <summary>Call before checking for work; then <see cref="Wait"/> only if none was found.</summary>
    public void Reset() => _event.Reset();

    public void Notify() => _event.Set();

    public void Wait(TimeSpan timeout, CancellationToken cancellationToken)
    {
        try
        {
            _event.Wait(timeout, cancellationToken);
        }
        catch (OperationCanceledException)
        {
        }
    }
}
