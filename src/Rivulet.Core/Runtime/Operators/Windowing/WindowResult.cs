using Rivulet.Core.Api.Functions;
using Rivulet.Core.State;
using Rivulet.Core.Time.Windows;

namespace Rivulet.Core.Runtime.Operators.Windowing;

/// <summary>Turns a fired window's contents into output records.</summary>
internal abstract class WindowResult<TAcc, TOut, TKey>
{
    public abstract void Emit(TKey key, TAcc contents, IWindowFiring firing, ICollector<TOut> output);

    /// <summary>The window <see cref="IWindowFiring.Window"/> of <paramref name="key"/> is removed: the function deletes what it kept for it.</summary>
    public virtual void Clear(TKey key, IWindowFiring firing)
    {
    }

    public virtual object? UserFunction => null;
}

/// <summary>The contents are the result (a Reduce without window function).</summary>
internal sealed class ContentsAsResult<T, TKey> : WindowResult<T, T, TKey>
{
    public override void Emit(TKey key, T contents, IWindowFiring firing, ICollector<T> output) => output.Collect(contents);
}

/// <summary>An aggregate's result from its accumulator (an Aggregate without window function).</summary>
internal sealed class AggregateResult<TIn, TAcc, TOut, TKey>(IAggregateFunction<TIn, TAcc, TOut> aggregate) : WindowResult<TAcc, TOut, TKey>
{
    public override void Emit(TKey key, TAcc contents, IWindowFiring firing, ICollector<TOut> output) => output.Collect(aggregate.GetResult(contents));
}

/// <summary>A process window function over the window's elements (or its one pre-aggregated value).</summary>
internal sealed class ProcessWindowResult<TAcc, TValue, TOut, TKey>(Func<TAcc, IEnumerable<TValue>> elements, ProcessWindowFunction<TValue, TOut, TKey> function)
    : WindowResult<TAcc, TOut, TKey>
{
    private readonly FiringContext _context = new();

    public override object UserFunction => function;

    public override void Emit(TKey key, TAcc contents, IWindowFiring firing, ICollector<TOut> output)
    {
        _context.Firing = firing;
        function.Process(key, _context, elements(contents), output);
    }

    public override void Clear(TKey key, IWindowFiring firing)
    {
        _context.Firing = firing;
        function.Clear(_context);
    }

    private sealed class FiringContext : ProcessWindowFunction<TValue, TOut, TKey>.Context
    {
        public IWindowFiring Firing { get; set; } = null!;

        public override TimeWindow Window => Firing.Window;

        public override long CurrentWatermark => Firing.CurrentWatermark;

        public override long CurrentProcessingTime => Firing.CurrentProcessingTime;

        public override void Output<TSide>(Api.OutputTag<TSide> tag, TSide value) => Firing.Output(tag, value);

        public override IKeyedStateStore WindowState => Firing.WindowState;

        public override IKeyedStateStore GlobalState => Firing.GlobalState;
    }
}
