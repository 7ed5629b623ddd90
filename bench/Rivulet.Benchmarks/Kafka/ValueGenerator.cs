using System.Diagnostics;
using Rivulet.Core.Api.Functions;
using Rivulet.Core.State;

namespace Rivulet.Benchmarks.Kafka;

/// <summary>
/// The sink benchmark's source: the same value <c>count</c> times, position kept in operator
/// state as a real source would. Notes when it emits its first record, which starts the clock
/// (the sink's producers are set up before that, in Open).
/// </summary>
internal sealed class ValueGenerator(long count, byte[] value, ValueGenerator.FirstEmission started) : ISourceFunction<byte[]>, ICheckpointedFunction
{
    private IListState<long>? _position;
    private long _emitted;

    public Task RunAsync(ISourceContext<byte[]> context, CancellationToken cancellationToken)
    {
        started.Mark();
        while (_emitted < count)
        {
            context.Collect(value);
            _emitted++;
            if ((_emitted & 0xFFFF) == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }
        }

        return Task.CompletedTask;
    }

    public void SnapshotState(IFunctionSnapshotContext context) => _position!.Update([_emitted]);

    public void InitializeState(IFunctionInitializationContext context)
    {
        _position = context.OperatorStateStore.GetListState(new ListStateDescriptor<long>("emitted"));
        _emitted = _position.Get().DefaultIfEmpty(0).Max();
    }

    /// <summary>When the first record was about to go out (shared by the function's copies).</summary>
    internal sealed class FirstEmission
    {
        private long _timestamp;

        public long Timestamp => Interlocked.Read(ref _timestamp);

        public void Mark() => Interlocked.CompareExchange(ref _timestamp, Stopwatch.GetTimestamp(), 0);
    }
}
