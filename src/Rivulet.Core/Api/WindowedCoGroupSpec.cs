using Rivulet.Core.Api.Functions;
using Rivulet.Core.Time.Windows;

namespace Rivulet.Core.Api;

/// <summary>
/// What a window join or coGroup is made of, and how it runs (as in Flink): both streams tagged into
/// one union, keyed by their own key selectors, windowed, and each fired window split back into its
/// two sides for the coGroup function. Window state holds the tagged elements (JSON, like other window state).
/// </summary>
internal sealed record WindowedCoGroupSpec<TKey, T1, T2>(DataStream<T1> First, DataStream<T2> Second, Func<T1, TKey> Key1)
    where TKey : notnull
{
    public Func<T2, TKey>? Key2 { get; init; }

    public WindowAssigner? Assigner { get; init; }

    public TimeSpan AllowedLateness { get; init; }

    public DataStream<TOut> Build<TOut>(string name, ICoGroupFunction<T1, T2, TOut> function)
    {
        var key1 = Key1;
        var key2 = Key2!;
        var first = First.Map(v => new TaggedUnion<T1, T2>(true, v, default)).Name($"{name}: first input");
        var second = Second.Map(v => new TaggedUnion<T1, T2>(false, default, v)).Name($"{name}: second input");
        return first.Union(second)
            .KeyBy(t => t.IsFirst ? key1(t.First!) : key2(t.Second!))
            .Window(Assigner!)
            .AllowedLateness(AllowedLateness)
            .Process(new CoGroupWindowFunction<T1, T2, TOut, TKey>(function))
            .Name(name);
    }
}
