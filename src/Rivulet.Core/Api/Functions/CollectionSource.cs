namespace Rivulet.Core.Api.Functions;

/// <summary>
/// Emits the elements of a collection (Flink's fromCollection). Checkpointed: it remembers how
/// many elements it emitted, so a restore continues after them. Parallelism 1.
/// </summary>
internal sealed class CollectionSource<T>(IReadOnlyList<T> elements) : ISourceFunction<T>, ICheckpointedFunction
{
    private State.IListState<long>? _state;
    private long _emitted;

    public Task RunAsync(ISourceContext<T> context, CancellationToken cancellationToken)
    {
        while (_emitted < elements.Count)
        {
            cancellationToken.ThrowIfCancellationRequested();
            context.Collect(elements[(int)_emitted]);
            _emitted++;
        }

        return Task.CompletedTask;
    }

    public void SnapshotState(IFunctionSnapshotContext context) => _state!.Update([_emitted]);

    public void InitializeState(IFunctionInitializationContext context)
    {
        _state = context.OperatorStateStore.GetListState(new State.ListStateDescriptor<long>("emitted"));
        _emitted = _state.Get().DefaultIfEmpty(0).Sum();
    }
}
