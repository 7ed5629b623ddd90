using Rivulet.Core.Api.Functions;
using Rivulet.Core.Runtime.IO;
using Rivulet.Core.Runtime.Tasks;

namespace Rivulet.Core.Runtime.Operators;

/// <summary>Runs a source function; its subtask has no input channels.</summary>
internal sealed class SourceOperator<T>(ISourceFunction<T> function, IOutput<T> output) : StreamOperator, ISourceRunner
{
    protected override object UserFunction => function;

    public override void ProcessWatermark(long watermark) => output.EmitWatermark(watermark);

    public override void ProcessIdleness(bool idle) => output.EmitIdleness(idle);

    public Task RunAsync(SubtaskRunner runner, CancellationToken cancellationToken) =>
        function.RunAsync(new SourceContext<T>(output, runner), cancellationToken);
}

/// <summary>The type-erased face of a source operator for its subtask.</summary>
internal interface ISourceRunner
{
    Task RunAsync(SubtaskRunner runner, CancellationToken cancellationToken);
}

/// <summary>What a source emits through; runs the subtask's pending mail between emissions.</summary>
internal sealed class SourceContext<T>(IOutput<T> output, SubtaskRunner runner) : ISourceContext<T>
{
    private bool _idle;

    public void Collect(T element) => CollectWithTimestamp(element, RecordBatch<T>.NoTimestamp);

    public void CollectWithTimestamp(T element, long timestampMs)
    {
        // Pending mail (a checkpoint) runs before the element goes out, so it sees the source's
        // state as the source left it after the previous element: barrier and state agree.
        runner.BeforeSourceEmit();
        if (_idle)
        {
            _idle = false;
            output.EmitIdleness(false);
        }

        output.Collect(element, timestampMs);
        runner.AfterSourceEmit();
    }

    public void EmitWatermark(long watermarkMs)
    {
        // No mail here, unlike before an element: a watermark often follows an element the source
        // has not yet accounted for in its state (a punctuated generator runs right after the
        // element), and a checkpoint in between would record a position before that element.
        if (_idle)
        {
            _idle = false;
            output.EmitIdleness(false);
        }

        output.EmitWatermark(watermarkMs);
    }

    public void MarkAsTemporarilyIdle()
    {
        if (!_idle)
        {
            _idle = true;
            output.EmitIdleness(true);
        }
    }

    public void YieldToRuntime() => runner.YieldFromSource();
}
