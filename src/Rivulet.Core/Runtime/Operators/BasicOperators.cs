using Rivulet.Core.Api.Functions;
using Rivulet.Core.Runtime.IO;

namespace Rivulet.Core.Runtime.Operators;

internal sealed class MapOperator<TIn, TOut>(IMapFunction<TIn, TOut> function, IOutput<TOut> output) : OneInputOperator<TIn, TOut>(output)
{
    protected override object UserFunction => function;

    public override void ProcessElement(TIn value, long timestamp) => Output.Collect(function.Map(value), timestamp);
}

internal sealed class FlatMapOperator<TIn, TOut>(IFlatMapFunction<TIn, TOut> function, IOutput<TOut> output) : OneInputOperator<TIn, TOut>(output)
{
    private readonly TimestampedCollector<TOut> _collector = new(output);

    protected override object UserFunction => function;

    public override void ProcessElement(TIn value, long timestamp)
    {
        _collector.Timestamp = timestamp;
        function.FlatMap(value, _collector);
    }
}

internal sealed class FilterOperator<T>(IFilterFunction<T> function, IOutput<T> output) : OneInputOperator<T, T>(output)
{
    protected override object UserFunction => function;

    public override void ProcessElement(T value, long timestamp)
    {
        if (function.Filter(value))
        {
            Output.Collect(value, timestamp);
        }
    }
}

internal sealed class ProcessOperator<TIn, TOut>(ProcessFunction<TIn, TOut> function, IOutput<TOut> output) : OneInputOperator<TIn, TOut>(output)
{
    private readonly TimestampedCollector<TOut> _collector = new(output);
    private ElementContext? _context;
    private long _currentWatermark = long.MinValue;

    protected override object UserFunction => function;

    public override void ProcessElement(TIn value, long timestamp)
    {
        _context ??= new ElementContext(this);
        _collector.Timestamp = timestamp;
        _context.CurrentTimestamp = timestamp;
        function.ProcessElement(value, _context, _collector);
    }

    public override void ProcessWatermark(long watermark)
    {
        _currentWatermark = watermark;
        base.ProcessWatermark(watermark);
    }

    private sealed class ElementContext(ProcessOperator<TIn, TOut> owner) : ProcessFunction<TIn, TOut>.ProcessContext
    {
        public long CurrentTimestamp { get; set; }

        public override long? Timestamp => CurrentTimestamp == RecordBatch<TIn>.NoTimestamp ? null : CurrentTimestamp;

        public override long CurrentProcessingTime => owner.Context.ProcessingTime.Now;

        public override long CurrentWatermark => owner._currentWatermark;

        public override void Output<TSide>(Api.OutputTag<TSide> tag, TSide value) => owner.Context.SideOutput(tag)?.Collect(value, CurrentTimestamp);
    }
}

internal sealed class SinkOperator<T>(ISinkFunction<T> function) : OneInputOperator<T, T>(DiscardingOutput<T>.Instance)
{
    private ElementContext? _context;

    protected override object UserFunction => function;

    public override void ProcessElement(T value, long timestamp)
    {
        _context ??= new ElementContext(this);
        _context.CurrentTimestamp = timestamp;
        function.Invoke(value, _context);
    }

    private sealed class ElementContext(SinkOperator<T> owner) : ISinkContext
    {
        public long CurrentTimestamp { get; set; }

        public long? Timestamp => CurrentTimestamp == RecordBatch<T>.NoTimestamp ? null : CurrentTimestamp;

        public long CurrentProcessingTime => owner.Context.ProcessingTime.Now;
    }
}
