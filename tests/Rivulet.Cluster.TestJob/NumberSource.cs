using Rivulet.Core.Api.Functions;

namespace Rivulet.Cluster.TestJob;

/// <summary>Each subtask emits its share of 0..records-1 (numbers ≡ subtask index modulo parallelism), forever when records is 0; prints how many it emitted.</summary>
internal sealed class NumberSource(long records) : ISourceFunction<long>, IRichFunction
{
    private int _subtask;
    private int _parallelism;

    public void Open(IRuntimeContext context)
    {
        _subtask = context.SubtaskIndex;
        _parallelism = context.NumberOfParallelSubtasks;
    }

    public void Close()
    {
    }

    public Task RunAsync(ISourceContext<long> context, CancellationToken cancellationToken)
    {
        var emitted = 0L;
        var lastReport = Environment.TickCount64;
        for (var number = (long)_subtask; records == 0 || number < records; number += _parallelism)
        {
            cancellationToken.ThrowIfCancellationRequested();
            context.Collect(number);
            emitted++;
            if (Environment.TickCount64 - lastReport >= 500)
            {
                lastReport = Environment.TickCount64;
                Console.WriteLine($"EMITTED {_subtask} {emitted}");
            }
        }

        Console.WriteLine($"EMITTED {_subtask} {emitted}");
        return Task.CompletedTask;
    }
}
