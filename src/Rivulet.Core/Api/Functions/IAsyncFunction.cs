namespace Rivulet.Core.Api.Functions;

/// <summary>
/// Calls an external service for each element without blocking the stream (Flink's <c>AsyncFunction</c>),
/// used with <see cref="AsyncDataStream"/>: many calls are in flight at once, up to the operator's capacity.
/// </summary>
/// <typeparam name="TIn">The input elements.</typeparam>
/// <typeparam name="TOut">The results.</typeparam>
public interface IAsyncFunction<in TIn, TOut>
{
    /// <summary>
    /// Starts the call for <paramref name="input"/>; the task's results (any number) go downstream with the
    /// element's timestamp. Runs on the subtask's thread; the task may complete on any. A faulted task fails
    /// the job. <paramref name="cancellationToken"/> is cancelled when the call times out or the job stops.
    /// </summary>
    Task<IReadOnlyCollection<TOut>> InvokeAsync(TIn input, CancellationToken cancellationToken);

    /// <summary>
    /// Called on the subtask's thread when the call for <paramref name="input"/> did not complete within the
    /// operator's timeout: its results replace the call's. By default the job fails with a <see cref="TimeoutException"/>.
    /// </summary>
    IReadOnlyCollection<TOut> Timeout(TIn input) =>
        throw new TimeoutException($"The asynchronous call for element '{input}' did not complete within the timeout.");
}
