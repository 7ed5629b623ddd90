using Rivulet.Core.Api.Functions;
using Rivulet.Core.Runtime.IO;
using Rivulet.Core.State;

namespace Rivulet.Core.Runtime.Operators;

/// <summary>Runs a <see cref="BroadcastProcessFunction{TIn1, TIn2, TOut}"/>: input 1 is the non-broadcast stream, input 2 the broadcast one.</summary>
internal sealed class BroadcastProcessOperator<T1, T2, TOut>(BroadcastProcessFunction<T1, T2, TOut> function, BroadcastStates states, IOutput<TOut> output)
    : TwoInputOperator<T1, T2, TOut>(keys: null, output)
{
    private readonly TimestampedCollector<TOut> _collector = new(output);
    private readonly BroadcastStates _states = states;
    private ElementContext? _elementContext;
    private BroadcastContext? _broadcastContext;

    protected override object UserFunction => function;

    protected override void OnElement1(T1 value, long timestamp)
    {
        _elementContext ??= new ElementContext(this);
        _elementContext.CurrentTimestamp = timestamp;
        _collector.Timestamp = timestamp;
        function.ProcessElement(value, _elementContext, _collector);
    }

    protected override void OnElement2(T2 value, long timestamp)
    {
        _broadcastContext ??= new BroadcastContext(this);
        _broadcastContext.CurrentTimestamp = timestamp;
        _collector.Timestamp = timestamp;
        function.ProcessBroadcastElement(value, _broadcastContext, _collector);
    }

    private sealed class ElementContext(BroadcastProcessOperator<T1, T2, TOut> owner) : BroadcastProcessFunction<T1, T2, TOut>.ReadOnlyContext
    {
        public long CurrentTimestamp { get; set; }

        public override long? Timestamp => CurrentTimestamp == RecordBatch<TOut>.NoTimestamp ? null : CurrentTimestamp;

        public override long CurrentProcessingTime => owner.Context.ProcessingTime.Now;

        public override long CurrentWatermark => owner.CurrentWatermark;

        public override void Output<TSide>(Api.OutputTag<TSide> tag, TSide value) => owner.Context.SideOutput(tag)?.Collect(value, CurrentTimestamp);

        public override IReadOnlyBroadcastState<TKey, TValue> GetBroadcastState<TKey, TValue>(MapStateDescriptor<TKey, TValue> descriptor) =>
            new ReadOnlyBroadcastState<TKey, TValue>(owner._states.Get(owner.Context, descriptor));
    }

    private sealed class BroadcastContext(BroadcastProcessOperator<T1, T2, TOut> owner) : BroadcastProcessFunction<T1, T2, TOut>.Context
    {
        public long CurrentTimestamp { get; set; }

        public override long? Timestamp => CurrentTimestamp == RecordBatch<TOut>.NoTimestamp ? null : CurrentTimestamp;

        public override long CurrentProcessingTime => owner.Context.ProcessingTime.Now;

        public override long CurrentWatermark => owner.CurrentWatermark;

        public override void Output<TSide>(Api.OutputTag<TSide> tag, TSide value) => owner.Context.SideOutput(tag)?.Collect(value, CurrentTimestamp);

        public override IBroadcastState<TKey, TValue> GetBroadcastState<TKey, TValue>(MapStateDescriptor<TKey, TValue> descriptor) =>
            owner._states.Get(owner.Context, descriptor);
    }
}
