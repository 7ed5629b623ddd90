using Rivulet.Core.Api.Functions;
using Rivulet.Core.Runtime.IO;
using Rivulet.Core.Runtime.Timers;
using Rivulet.Core.State;
using Rivulet.Core.Time;

namespace Rivulet.Core.Runtime.Operators;

/// <summary>Runs a <see cref="KeyedCoProcessFunction{TKey, T1, T2, TOut}"/>: keyed state and timers shared by both inputs, side outputs.</summary>
internal sealed class KeyedCoProcessOperator<TKey, T1, T2, TOut>(
    KeyedCoProcessFunction<TKey, T1, T2, TOut> function, Func<T1, TKey> key1, Func<T2, TKey> key2, IOutput<TOut> output)
    : TwoInputOperator<T1, T2, TOut>(new InputKeySelectors<TKey, T1, T2>(key1, key2), output), ITimerTarget<TKey, VoidNamespace>
    where TKey : notnull
{
    private readonly TimestampedCollector<TOut> _collector = new(output);
    private HeapKeyedStateBackend<TKey>? _backend;
    private InternalTimerService<TKey, VoidNamespace>? _timers;
    private ElementContext? _elementContext;
    private TimerContext? _timerContext;

    protected override object UserFunction => function;

    private HeapKeyedStateBackend<TKey> Backend => _backend ??= (HeapKeyedStateBackend<TKey>)Context.KeyedBackend!;

    public override void Open()
    {
        // Restored timers are queued here; due ones fire from the subtask's loop, after Open.
        _timers = new InternalTimerService<TKey, VoidNamespace>("user-timers", Backend, VoidNamespace.Serializer, Context.ProcessingTime, this);
        var timerService = new KeyedTimerService<TKey>(_timers);
        _elementContext = new ElementContext(this, timerService);
        _timerContext = new TimerContext(this, timerService);
        base.Open();
    }

    public void OnEventTime(TKey key, VoidNamespace timerNamespace, long time) => FireTimer(time, TimeDomain.EventTime, time);

    public void OnProcessingTime(TKey key, VoidNamespace timerNamespace, long time) => FireTimer(time, TimeDomain.ProcessingTime, RecordBatch<TOut>.NoTimestamp);

    // Timers first, then the watermark: what the timers emit is not late downstream.
    protected override void OnWatermark(long watermark) => _timers!.AdvanceWatermark(watermark);

    protected override void OnElement1(T1 value, long timestamp) => function.ProcessElement1(value, Prepare(timestamp), _collector);

    protected override void OnElement2(T2 value, long timestamp) => function.ProcessElement2(value, Prepare(timestamp), _collector);

    private ElementContext Prepare(long timestamp)
    {
        var context = _elementContext!;
        context.CurrentTimestamp = timestamp;
        _collector.Timestamp = timestamp;
        return context;
    }

    private void FireTimer(long time, TimeDomain domain, long outputTimestamp)
    {
        var context = _timerContext!;
        context.Domain = domain;
        context.CurrentTimestamp = outputTimestamp;
        _collector.Timestamp = outputTimestamp;
        function.OnTimer(time, context, _collector);
    }

    private sealed class ElementContext(KeyedCoProcessOperator<TKey, T1, T2, TOut> owner, ITimerService timerService) : KeyedCoProcessFunction<TKey, T1, T2, TOut>.Context
    {
        public long CurrentTimestamp { get; set; }

        public override TKey CurrentKey => owner.Backend.CurrentKey;

        public override long? Timestamp => CurrentTimestamp == RecordBatch<TOut>.NoTimestamp ? null : CurrentTimestamp;

        public override long CurrentProcessingTime => owner.Context.ProcessingTime.Now;

        public override ITimerService TimerService => timerService;

        public override void Output<TSide>(Api.OutputTag<TSide> tag, TSide value) => owner.Context.SideOutput(tag)?.Collect(value, CurrentTimestamp);
    }

    private sealed class TimerContext(KeyedCoProcessOperator<TKey, T1, T2, TOut> owner, ITimerService timerService) : KeyedCoProcessFunction<TKey, T1, T2, TOut>.OnTimerContext
    {
        public long CurrentTimestamp { get; set; }

        public TimeDomain Domain { get; set; }

        public override TimeDomain TimeDomain => Domain;

        public override TKey CurrentKey => owner.Backend.CurrentKey;

        public override long? Timestamp => CurrentTimestamp == RecordBatch<TOut>.NoTimestamp ? null : CurrentTimestamp;

        public override long CurrentProcessingTime => owner.Context.ProcessingTime.Now;

        public override ITimerService TimerService => timerService;

        public override void Output<TSide>(Api.OutputTag<TSide> tag, TSide value) => owner.Context.SideOutput(tag)?.Collect(value, CurrentTimestamp);
    }
}
