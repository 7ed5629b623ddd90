using System.Collections.Concurrent;

namespace Rivulet.Core.Runtime.Tasks;

/// <summary>
/// Keeps an async source function on its subtask's thread: continuations after an <c>await</c>
/// (without <c>ConfigureAwait(false)</c>) come back here instead of occupying a thread-pool thread
/// for the rest of the job, which on small machines starves the pool (timers, checkpoint
/// coordination and client callbacks all need it).
/// </summary>
internal sealed class SourceSynchronizationContext : SynchronizationContext
{
    private readonly BlockingCollection<(SendOrPostCallback Callback, object? State)> _work = new();

    public override void Post(SendOrPostCallback d, object? state)
    {
        try
        {
            _work.Add((d, state));
        }
        catch (InvalidOperationException)
        {
            // The source has ended; a late continuation has nothing left to resume.
        }
    }

    public override void Send(SendOrPostCallback d, object? state) =>
        throw new NotSupportedException("Synchronous Send to a source's context is not supported.");

    /// <summary>Runs <paramref name="start"/> with this context current and pumps its continuations until the task ends.</summary>
    public static void Run(Func<Task> start)
    {
        var previous = Current;
        var context = new SourceSynchronizationContext();
        SetSynchronizationContext(context);
        try
        {
            var task = start();
            task.ContinueWith(_ => context._work.CompleteAdding(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            foreach (var (callback, state) in context._work.GetConsumingEnumerable())
            {
                callback(state);
            }

            task.GetAwaiter().GetResult();
        }
        finally
        {
            SetSynchronizationContext(previous);
            context._work.Dispose();
        }
    }
}
