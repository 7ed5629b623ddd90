namespace Rivulet.Core.Api.Functions;

// The delegate is checked when the wrapper is made, so Map(null) fails where the job is defined, not at its first element.

internal sealed class LambdaMap<TIn, TOut>(Func<TIn, TOut> map) : IMapFunction<TIn, TOut>
{
    private readonly Func<TIn, TOut> _map = map ?? throw new ArgumentNullException(nameof(map));

    public TOut Map(TIn value) => _map(value);
}

internal sealed class LambdaCoMap<T1, T2, TOut>(Func<T1, TOut> map1, Func<T2, TOut> map2) : ICoMapFunction<T1, T2, TOut>
{
    private readonly Func<T1, TOut> _map1 = map1 ?? throw new ArgumentNullException(nameof(map1));
    private readonly Func<T2, TOut> _map2 = map2 ?? throw new ArgumentNullException(nameof(map2));

    public TOut Map1(T1 value) => _map1(value);

    public TOut Map2(T2 value) => _map2(value);
}

internal sealed class LambdaJoin<T1, T2, TOut>(Func<T1, T2, TOut> join) : IJoinFunction<T1, T2, TOut>
{
    private readonly Func<T1, T2, TOut> _join = join ?? throw new ArgumentNullException(nameof(join));

    public TOut Join(T1 first, T2 second) => _join(first, second);
}

internal sealed class LambdaFlatMap<TIn, TOut>(Action<TIn, ICollector<TOut>> flatMap) : IFlatMapFunction<TIn, TOut>
{
    private readonly Action<TIn, ICollector<TOut>> _flatMap = flatMap ?? throw new ArgumentNullException(nameof(flatMap));

    public void FlatMap(TIn value, ICollector<TOut> output) => _flatMap(value, output);
}

internal sealed class LambdaFilter<T>(Func<T, bool> filter) : IFilterFunction<T>
{
    private readonly Func<T, bool> _filter = filter ?? throw new ArgumentNullException(nameof(filter));

    public bool Filter(T value) => _filter(value);
}

internal sealed class LambdaReduce<T>(Func<T, T, T> reduce) : IReduceFunction<T>
{
    private readonly Func<T, T, T> _reduce = reduce ?? throw new ArgumentNullException(nameof(reduce));

    public T Reduce(T accumulated, T value) => _reduce(accumulated, value);
}

internal sealed class LambdaSink<T>(Action<T> sink) : ISinkFunction<T>
{
    private readonly Action<T> _sink = sink ?? throw new ArgumentNullException(nameof(sink));

    public void Invoke(T value, ISinkContext context) => _sink(value);
}
