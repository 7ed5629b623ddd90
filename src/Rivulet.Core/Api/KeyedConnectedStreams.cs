using Rivulet.Core.Api.Functions;
using Rivulet.Core.Runtime;
using Rivulet.Core.Runtime.Operators;

namespace Rivulet.Core.Api;

/// <summary>
/// Two streams keyed by the same key type and connected (Flink's keyed <c>ConnectedStreams</c>): elements
/// of either input with equal keys reach the same subtask with that key current, so the operator's keyed
/// state and timers are shared by both inputs — the "control stream" and "enrichment" patterns.
/// Key groups follow the first input's key serializer on both sides, so equal keys meet.
/// </summary>
/// <typeparam name="TKey">The key both inputs are partitioned by.</typeparam>
/// <typeparam name="T1">The first input's elements.</typeparam>
/// <typeparam name="T2">The second input's elements.</typeparam>
public sealed class KeyedConnectedStreams<TKey, T1, T2>
    where TKey : notnull
{
    private readonly KeyedStream<TKey, T1> _first;
    private readonly KeyedStream<TKey, T2> _second;
    private readonly ConnectedStreams<T1, T2> _connected;

    internal KeyedConnectedStreams(KeyedStream<TKey, T1> first, KeyedStream<TKey, T2> second)
    {
        _first = first;
        _second = second;
        _connected = new ConnectedStreams<T1, T2>(first.Input, second.Input);
    }

    /// <summary>
    /// Runs <paramref name="function"/> on the elements of both inputs with their key current, with keyed
    /// state, timers and side outputs (Flink's <c>process(KeyedCoProcessFunction)</c>).
    /// </summary>
    /// <param name="function">The function; each parallel subtask runs its own (shallow) copy.</param>
    public DataStream<TOut> Process<TOut>(KeyedCoProcessFunction<TKey, T1, T2, TOut> function)
    {
        ArgumentNullException.ThrowIfNull(function);
        var key1 = _first.KeySelector;
        var key2 = _second.KeySelector;
        return Keyed<TOut>("Keyed Co-Process", output => new KeyedCoProcessOperator<TKey, T1, T2, TOut>(FunctionCloner.Clone(function), key1, key2, output));
    }

    /// <summary>One result per element of either input, with its key current for keyed state got in Open (Flink's keyed <c>map(CoMapFunction)</c>).</summary>
    /// <param name="function">The function; each parallel subtask runs its own (shallow) copy.</param>
    public DataStream<TOut> Map<TOut>(ICoMapFunction<T1, T2, TOut> function)
    {
        ArgumentNullException.ThrowIfNull(function);
        return Keyed<TOut>("Keyed Co-Map", output => new CoMapOperator<T1, T2, TOut>(FunctionCloner.Clone(function), Keys(), output));
    }

    /// <summary>Any number of results per element of either input, with its key current for keyed state got in Open (Flink's keyed <c>flatMap(CoFlatMapFunction)</c>).</summary>
    /// <param name="function">The function; each parallel subtask runs its own (shallow) copy.</param>
    public DataStream<TOut> FlatMap<TOut>(ICoFlatMapFunction<T1, T2, TOut> function)
    {
        ArgumentNullException.ThrowIfNull(function);
        return Keyed<TOut>("Keyed Co-Flat Map", output => new CoFlatMapOperator<T1, T2, TOut>(FunctionCloner.Clone(function), Keys(), output));
    }

    private InputKeySelectors<TKey, T1, T2> Keys() => new(_first.KeySelector, _second.KeySelector);

    /// <summary>Adds a keyed two-input operator: both inputs hash-partitioned by key group, one keyed backend.</summary>
    internal DataStream<TOut> Keyed<TOut>(string name, Func<IOutput<TOut>, TwoInputOperator<T1, T2, TOut>> factory)
    {
        var serializer = _first.KeySerializer;
        return _connected.Build(name, factory, KeyedStream<TKey, T1>.KeyedBackend(serializer),
            KeyedStream<TKey, T1>.KeyGroups(serializer, _first.KeySelector), KeyedStream<TKey, T1>.KeyGroups(serializer, _second.KeySelector));
    }
}
