namespace Rivulet.Core.Api.Functions;

internal sealed class LambdaMap<TIn, TOut>(Func<TIn, TOut> map) : IMapFunction<TIn, TOut>
{
    public TOut Map(TIn value) => map(value);
}

internal sealed class LambdaFlatMap<TIn, TOut>(Action<TIn, ICollector<TOut>> flatMap) : IFlatMapFunction<TIn, TOut>
{
    public void FlatMap(TIn value, ICollector<TOut> output) => flatMap(value, output);
}

internal sealed class LambdaFilter<T>(Func<T, bool> filter) : IFilterFunction<T>
{
    public bool Filter(T value) => filter(value);
}

internal sealed class LambdaReduce<T>(Func<T, T, T> reduce) : IReduceFunction<T>
{
    public T Reduce(T accumulated, T value) => reduce(accumulated, value);
}

internal sealed class LambdaSink<T>(Action<T> sink) : ISinkFunction<T>
{
    public void Invoke(T value, ISinkContext context) => sink(value);
}
