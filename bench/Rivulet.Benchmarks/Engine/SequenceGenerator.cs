using Rivulet.Core.Api.Functions;
using Rivulet.Core.State;

namespace Rivulet.Benchmarks.Engine;

/// <summary>
/// The in-memory source: the numbers 0..count-1, split over the source's subtasks (subtask i
/// emits i, i+p, i+2p, …). Keeps its position in operator state, as a real source would, so
/// checkpoints cost what they cost a real job.
/// </summary>
internal sealed class SequenceGenerator(long count) : ISourceFunction<long>, IRichFunction, ICheckpointedFunction
{
    private IListState<long>? _position;
    private long _next;
    private long _step;

    public void InitializeState(IFunctionInitializationContext context)
    {
        _position = context.OperatorStateStore.GetListState(new ListStateDescriptor<long>("next"));
        _next = context.RuntimeContext.SubtaskIndex;
        _step = context.RuntimeContext.NumberOfParallelSubtasks;
    }

    public void Open(IRuntimeContext context)
    {
    }

    public Task RunAsync(ISourceContext<long> context, CancellationToken cancellationToken)
    {
        while (_next < count)
        {
            context.Collect(_next);
            _next += _step;
            if ((_next & 0xFFFF) == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }
        }

        return Task.CompletedTask;
    }

    public void SnapshotState(IFunctionSnapshotContext context) => _position!.Update([_next]);

    public void Close()
    {
    }
}
