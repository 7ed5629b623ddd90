using Rivulet.Core.Api.Functions;
using Rivulet.Core.State;

namespace Rivulet.Cluster.TestJob;

/// <summary>
/// Emits 0..records-1 (forever when records is 0) from four fixed splits (numbers ≡ split mod 4),
/// spread over the subtasks; each split's next number is operator state, so after a restore — at
/// any parallelism up to four — every number is emitted once into the restored state. Optionally
/// throttled; prints how many it emitted.
/// </summary>
internal sealed class NumberSource(long records, int perSecond) : ISourceFunction<long>, IRichFunction, ICheckpointedFunction
{
    private const int Splits = 4;
    private IListState<SplitPosition> _state = null!;
    private List<SplitPosition> _positions = [];
    private int _subtask;

    public void Open(IRuntimeContext context) => _subtask = context.SubtaskIndex;

    public void Close()
    {
    }

    public void InitializeState(IFunctionInitializationContext context)
    {
        _state = context.OperatorStateStore.GetListState(new ListStateDescriptor<SplitPosition>("positions"));
        _positions = context.IsRestored
            ? [.. _state.Get()]
            : [.. Enumerable.Range(0, Splits)
                .Where(s => s % context.RuntimeContext.NumberOfParallelSubtasks == context.RuntimeContext.SubtaskIndex)
                .Select(s => new SplitPosition(s, s))];
    }

    public void SnapshotState(IFunctionSnapshotContext context) => _state.Update(_positions);

    public Task RunAsync(ISourceContext<long> context, CancellationToken cancellationToken)
    {
        var emitted = 0L;
        var lastReport = Environment.TickCount64;
        var started = Environment.TickCount64;
        while (_positions.Any(p => records == 0 || p.Next < records))
        {
            for (var i = 0; i < _positions.Count; i++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var position = _positions[i];
                if (records != 0 && position.Next >= records)
                {
                    continue;
                }

                context.Collect(position.Next);
                _positions[i] = position with { Next = position.Next + Splits };
                emitted++;
            }

            if (perSecond > 0 && emitted * 1000 / perSecond > Environment.TickCount64 - started)
            {
                context.YieldToRuntime();
                Thread.Sleep(1);
            }

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

/// <summary>The next number of one split.</summary>
internal sealed record SplitPosition(int Split, long Next);
