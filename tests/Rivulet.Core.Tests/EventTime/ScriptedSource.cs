using Rivulet.Core.Api.Functions;

namespace Rivulet.Core.Tests.EventTime;

/// <summary>One step of a <see cref="ScriptedSource{T}"/>.</summary>
internal abstract record SourceStep<T>
{
    /// <summary>Emit an element with this timestamp.</summary>
    public sealed record Element(T Value, long Timestamp) : SourceStep<T>;

    /// <summary>Emit a watermark.</summary>
    public sealed record Watermark(long Value) : SourceStep<T>;

    /// <summary>Wait (yielding to the runtime) until the gate opens.</summary>
    public sealed record WaitFor(TaskCompletionSource Gate) : SourceStep<T>;

    /// <summary>Mark this source idle (its next element or watermark makes it active again).</summary>
    public sealed record Idle : SourceStep<T>;

    /// <summary>Let this much time pass (yielding to the runtime): pacing for endless scripts.</summary>
    public sealed record Pause(TimeSpan Time) : SourceStep<T>;

    /// <summary>Tell the test the steps before this one were emitted (a checkpoint triggered after it includes them).</summary>
    public sealed record Signal(TaskCompletionSource Reached) : SourceStep<T>;
}

/// <summary>
/// A source that plays a script per subtask, then either finishes (bounded) or keeps running idle
/// until cancelled, yielding to the runtime so timers, watermarks and checkpoints go on.
/// </summary>
internal sealed class ScriptedSource<T>(Func<int, IEnumerable<SourceStep<T>>> script, bool keepRunning = false) : ISourceFunction<T>, IRichFunction
{
    private int _subtask;

    public void Open(IRuntimeContext context) => _subtask = context.SubtaskIndex;

    public void Close()
    {
    }

    public async Task RunAsync(ISourceContext<T> context, CancellationToken cancellationToken)
    {
        foreach (var step in script(_subtask))
        {
            switch (step)
            {
                case SourceStep<T>.Element element:
                    context.CollectWithTimestamp(element.Value, element.Timestamp);
                    break;
                case SourceStep<T>.Watermark watermark:
                    context.EmitWatermark(watermark.Value);
                    break;
                case SourceStep<T>.Signal signal:
                    signal.Reached.TrySetResult();
                    break;
                case SourceStep<T>.Idle:
                    context.MarkAsTemporarilyIdle();
                    break;
                case SourceStep<T>.Pause pause:
                    context.YieldToRuntime();
                    await Task.Delay(pause.Time, cancellationToken).ConfigureAwait(false);
                    break;
                case SourceStep<T>.WaitFor wait:
                    while (!wait.Gate.Task.IsCompleted)
                    {
                        context.YieldToRuntime();
                        await Task.Delay(5, cancellationToken).ConfigureAwait(false);
                    }

                    break;
            }
        }

        while (keepRunning && !cancellationToken.IsCancellationRequested)
        {
            context.YieldToRuntime();
            await Task.Delay(5, cancellationToken).ConfigureAwait(false);
        }
    }
}
