using Rivulet.Core.Api.Functions;
using Rivulet.Core.Runtime.IO;

namespace Rivulet.Core.Runtime.Operators;

/// <summary>Runs an <see cref="ICoMapFunction{T1, T2, TOut}"/>: one result per element of either input.</summary>
internal sealed class CoMapOperator<T1, T2, TOut>(ICoMapFunction<T1, T2, TOut> function, IInputKeys<T1, T2>? keys, IOutput<TOut> output)
    : TwoInputOperator<T1, T2, TOut>(keys, output)
{
    protected override object UserFunction => function;

    protected override void OnElement1(T1 value, long timestamp) => Output.Collect(function.Map1(value), timestamp);

    protected override void OnElement2(T2 value, long timestamp) => Output.Collect(function.Map2(value), timestamp);
}

/// <summary>Runs an <see cref="ICoFlatMapFunction{T1, T2, TOut}"/>: any number of results per element of either input.</summary>
internal sealed class CoFlatMapOperator<T1, T2, TOut>(ICoFlatMapFunction<T1, T2, TOut> function, IInputKeys<T1, T2>? keys, IOutput<TOut> output)
    : TwoInputOperator<T1, T2, TOut>(keys, output)
{
    private readonly TimestampedCollector<TOut> _collector = new(output);

    protected override object UserFunction => function;

    protected override void OnElement1(T1 value, long timestamp)
    {
        _collector.Timestamp = timestamp;
        function.FlatMap1(value, _collector);
    }

    protected override void OnElement2(T2 value, long timestamp)
    {
        _collector.Timestamp = timestamp;
        function.FlatMap2(value, _collector);
    }
}

/// <summary>Runs a <see cref="CoProcessFunction{T1, T2, TOut}"/> on two non-keyed inputs.</summary>
internal sealed class CoProcessOperator<T1, T2, TOut>(CoProcessFunction<T1, T2, TOut> function, IOutput<TOut> output)
    : TwoInputOperator<T1, T2, TOut>(keys: null, output)
{
    private readonly TimestampedCollector<TOut> _collector = new(output);
    private ElementContext? _context;

    protected override object UserFunction => function;

    protected override void OnElement1(T1 value, long timestamp) => function.ProcessElement1(value, Prepare(timestamp), _collector);

    protected override void OnElement2(T2 value, long timestamp) => function.ProcessElement2(value, Prepare(timestamp), _collector);

    private ElementContext Prepare(long timestamp)
    {
        _context ??= new ElementContext(this);
        _context.CurrentTimestamp = timestamp;
        _collector.Timestamp = timestamp;
        return _context;
    }

    private sealed class ElementContext(CoProcessOperator<T1, T2, TOut> owner) : CoProcessFunction<T1, T2, TOut>.Context
    {
        public long CurrentTimestamp { get; set; }

        public override long? Timestamp => CurrentTimestamp == RecordBatch<TOut>.NoTimestamp ? null : CurrentTimestamp;

        public override long CurrentProcessingTime => owner.Context.ProcessingTime.Now;

        public override long CurrentWatermark => owner.CurrentWatermark;

        public override void Output<TSide>(Api.OutputTag<TSide> tag, TSide value) => owner.Context.SideOutput(tag)?.Collect(value, CurrentTimestamp);
    }
}
