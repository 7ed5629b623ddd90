using Rivulet.Core.Api.Functions;
using Rivulet.Core.Runtime.IO;
using Rivulet.Core.Runtime.Timers;
using Rivulet.Core.State;
using Rivulet.Core.Time;

namespace Rivulet.Core.Runtime.Operators;

/// <summary>
/// Runs a <see cref="KeyedBroadcastProcessFunction{TKey, TIn1, TIn2, TOut}"/>: input 1 is the keyed
/// stream (keyed state, timers), input 2 the broadcast one (broadcast state read-write, every key's state).
/// </summary>
internal sealed class KeyedBroadcastProcessOperator<TKey, T1, T2, TOut>(
    KeyedBroadcastProcessFunction<TKey, T1, T2, TOut> function, Func<T1, TKey> keySelector, BroadcastStates states, IOutput<TOut> output)
    : TwoInputOperator<T1, T2, TOut>(new FirstInputKeySelector<TKey, T1, T2>(keySelector), output), ITimerTarget<TKey, VoidNamespace>
    where TKey : notnull
{
    private readonly TimestampedCollector<TOut> _collector = new(output);
    private readonly BroadcastStates _states = states;
    private HeapKeyedStateBackend<TKey>? _backend;
    private InternalTimerService<TKey, VoidNamespace>? _timers;
    private ElementContext? _elementContext;
    private TimerContext? _timerContext;
    private BroadcastContext? _broadcastContext;

    protected override object UserFunction => function;

    private HeapKeyedStateBackend<TKey> Backend => _backend ??= (HeapKeyedStateBackend<TKey>)Context.KeyedBackend!;

    public override void Open()
    {
        _timers = new InternalTimerService<TKey, VoidNamespace>("user-timers", Backend, VoidNamespace.Serializer, Context.ProcessingTime, this);
        var timerService = new KeyedTimerService<TKey>(_timers);
        _elementContext = new ElementContext(this, timerService);
        _timerContext = new TimerContext(this, timerService);
        _broadcastContext = new BroadcastContext(this);
        base.Open();
    }

    public void OnEventTime(TKey key, VoidNamespace timerNamespace, long time) => FireTimer(time, TimeDomain.EventTime, time);

    public void OnProcessingTime(TKey key, VoidNamespace timerNamespace, long time) => FireTimer(time, TimeDomain.ProcessingTime, RecordBatch<TOut>.NoTimestamp);

    protected override void OnWatermark(long watermark) => _timers!.AdvanceWatermark(watermark);

    protected override void OnElement1(T1 value, long timestamp)
    {
        var context = _elementContext!;
        context.CurrentTimestamp = timestamp;
        _collector.Timestamp = timestamp;
        function.ProcessElement(value, context, _collector);
    }

    protected override void OnElement2(T2 value, long timestamp)
    {
        Backend.ClearCurrentKey();
        var context = _broadcastContext!;
        context.CurrentTimestamp = timestamp;
        _collector.Timestamp = timestamp;
        function.ProcessBroadcastElement(value, context, _collector);
    }

    private void FireTimer(long time, TimeDomain domain, long outputTimestamp)
    {
        var context = _timerContext!;
        context.Domain = domain;
        context.CurrentTimestamp = outputTimestamp;
        _collector.Timestamp = outputTimestamp;
        function.OnTimer(time, context, _collector);
    }

    private sealed class ElementContext(KeyedBroadcastProcessOperator<TKey, T1, T2, TOut> owner, ITimerService timerService)
        : KeyedBroadcastProcessFunction<TKey, T1, T2, TOut>.ReadOnlyContext
    {
        public long CurrentTimestamp { get; set; }

        public override long? Timestamp => CurrentTimestamp == RecordBatch<TOut>.NoTimestamp ? null : CurrentTimestamp;

        public override long CurrentProcessingTime => owner.Context.ProcessingTime.Now;

        public override long CurrentWatermark => owner.CurrentWatermark;

        public override TKey CurrentKey => owner.Backend.CurrentKey;

        public override ITimerService TimerService => timerService;

        public override void Output<TSide>(Api.OutputTag<TSide> tag, TSide value) => owner.Context.SideOutput(tag)?.Collect(value, CurrentTimestamp);

        public override IReadOnlyBroadcastState<TMapKey, TValue> GetBroadcastState<TMapKey, TValue>(MapStateDescriptor<TMapKey, TValue> descriptor) =>
            new ReadOnlyBroadcastState<TMapKey, TValue>(owner._states.Get(owner.Context, descriptor));
    }

    private sealed class TimerContext(KeyedBroadcastProcessOperator<TKey, T1, T2, TOut> owner, ITimerService timerService)
        : KeyedBroadcastProcessFunction<TKey, T1, T2, TOut>.OnTimerContext
    {
        public long CurrentTimestamp { get; set; }

        public TimeDomain Domain { get; set; }

        public override TimeDomain TimeDomain => Domain;

        public override long? Timestamp => CurrentTimestamp == RecordBatch<TOut>.NoTimestamp ? null : CurrentTimestamp;

        public override long CurrentProcessingTime => owner.Context.ProcessingTime.Now;

        public override long CurrentWatermark => owner.CurrentWatermark;

        public override TKey CurrentKey => owner.Backend.CurrentKey;

        public override ITimerService TimerService => timerService;

        public override void Output<TSide>(Api.OutputTag<TSide> tag, TSide value) => owner.Context.SideOutput(tag)?.Collect(value, CurrentTimestamp);

        public override IReadOnlyBroadcastState<TMapKey, TValue> GetBroadcastState<TMapKey, TValue>(MapStateDescriptor<TMapKey, TValue> descriptor) =>
            new ReadOnlyBroadcastState<TMapKey, TValue>(owner._states.Get(owner.Context, descriptor));
    }

    private sealed class BroadcastContext(KeyedBroadcastProcessOperator<TKey, T1, T2, TOut> owner) : KeyedBroadcastProcessFunction<TKey, T1, T2, TOut>.Context
    {
        public long CurrentTimestamp { get; set; }

        public override long? Timestamp => CurrentTimestamp == RecordBatch<TOut>.NoTimestamp ? null : CurrentTimestamp;

        public override long CurrentProcessingTime => owner.Context.ProcessingTime.Now;

        public override long CurrentWatermark => owner.CurrentWatermark;

        public override void Output<TSide>(Api.OutputTag<TSide> tag, TSide value) => owner.Context.SideOutput(tag)?.Collect(value, CurrentTimestamp);

        public override IBroadcastState<TMapKey, TValue> GetBroadcastState<TMapKey, TValue>(MapStateDescriptor<TMapKey, TValue> descriptor) =>
            owner._states.Get(owner.Context, descriptor);

        public override void ApplyToKeyedState<T>(ValueStateDescriptor<T> descriptor, Action<TKey, IValueState<T>> function)
        {
            ArgumentNullException.ThrowIfNull(function);
            var state = owner.Backend.GetState(descriptor);
            owner.Backend.ForEachKey(descriptor, key => function(key, state));
        }

        public override void ApplyToKeyedState<T>(ListStateDescriptor<T> descriptor, Action<TKey, IListState<T>> function)
        {
            ArgumentNullException.ThrowIfNull(function);
            var state = owner.Backend.GetListState(descriptor);
            owner.Backend.ForEachKey(descriptor, key => function(key, state));
        }

        public override void ApplyToKeyedState<TMapKey, TValue>(MapStateDescriptor<TMapKey, TValue> descriptor, Action<TKey, IMapState<TMapKey, TValue>> function)
        {
            ArgumentNullException.ThrowIfNull(function);
            var state = owner.Backend.GetMapState(descriptor);
            owner.Backend.ForEachKey(descriptor, key => function(key, state));
        }
    }
}
