using Rivulet.Core.Api.Functions;
using Rivulet.Core.Runtime.IO;
using Rivulet.Core.Runtime.Timers;
using Rivulet.Core.Time;

namespace Rivulet.Core.Runtime.Operators;

/// <summary>Runs a <see cref="KeyedProcessFunction{TKey, TIn, TOut}"/>: keyed state, timers and side outputs.</summary>
internal sealed class KeyedProcessOperator<TKey, TIn, TOut>(KeyedProcessFunction<TKey, TIn, TOut> function, Func<TIn, TKey> keySelector, IOutput<TOut> output)
    : KeyedOneInputOperator<TKey, TIn, TOut>(keySelector, output), ITimerTarget<TKey, VoidNamespace>
    where TKey : notnull
{
    private readonly TimestampedCollector<TOut> _collector = new(output);
    private InternalTimerService<TKey, VoidNamespace>? _timers;
    private ElementContext? _elementContext;
    private TimerContext? _timerContext;

    protected override object UserFunction => function;

    public override void Open()
    {
        // Restored timers are queued here; due ones fire from the subtask's loop, after Open.
        _timers = new InternalTimerService<TKey, VoidNamespace>("user-timers", Backend, VoidNamespace.Serializer, Context.ProcessingTime, this);
        var timerService = new KeyedTimerService<TKey>(_timers);
        _elementContext = new ElementContext(this, timerService);
        _timerContext = new TimerContext(this, timerService);
        base.Open();
    }

    public override void ProcessWatermark(long watermark)
    {
        // Timers first, then the watermark: what the timers emit is not late downstream.
        _timers!.AdvanceWatermark(watermark);
        Output.EmitWatermark(watermark);
    }

    public void OnEventTime(TKey key, VoidNamespace timerNamespace, long time) => FireTimer(time, TimeDomain.EventTime, time);

    public void OnProcessingTime(TKey key, VoidNamespace timerNamespace, long time) => FireTimer(time, TimeDomain.ProcessingTime, RecordBatch<TOut>.NoTimestamp);

    protected override void ProcessKeyed(TIn value, long timestamp)
    {
        _elementContext!.CurrentTimestamp = timestamp;
        _collector.Timestamp = timestamp;
        function.ProcessElement(value, _elementContext, _collector);
    }

    private void FireTimer(long time, TimeDomain domain, long outputTimestamp)
    {
        var context = _timerContext!;
        context.Domain = domain;
        context.CurrentTimestamp = outputTimestamp;
        _collector.Timestamp = outputTimestamp;
        function.OnTimer(time, context, _collector);
    }

    private sealed class ElementContext(KeyedProcessOperator<TKey, TIn, TOut> owner, ITimerService timerService) : KeyedProcessFunction<TKey, TIn, TOut>.Context
    {
        public long CurrentTimestamp { get; set; }

        public override TKey CurrentKey => owner.Backend.CurrentKey;

        public override long? Timestamp => CurrentTimestamp == RecordBatch<TIn>.NoTimestamp ? null : CurrentTimestamp;

        public override long CurrentProcessingTime => owner.Context.ProcessingTime.Now;

        public override ITimerService TimerService => timerService;

        public override void Output<TSide>(Api.OutputTag<TSide> tag, TSide value) => owner.Context.SideOutput(tag)?.Collect(value, CurrentTimestamp);
    }

    private sealed class TimerContext(KeyedProcessOperator<TKey, TIn, TOut> owner, ITimerService timerService) : KeyedProcessFunction<TKey, TIn, TOut>.OnTimerContext
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
