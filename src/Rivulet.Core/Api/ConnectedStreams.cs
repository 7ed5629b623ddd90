using Rivulet.Core.Api.Functions;
using Rivulet.Core.Graph;
using Rivulet.Core.Runtime;
using Rivulet.Core.Runtime.Operators;
using Rivulet.Core.State;

namespace Rivulet.Core.Api;

/// <summary>
/// Two streams, possibly of different types, connected for one operator with two inputs (Flink's
/// <c>ConnectedStreams</c>), made by <see cref="DataStream{T}.Connect{T2}(DataStream{T2})"/>. The operator sees the
/// elements of both on one thread, so its function may keep state shared by both; its watermark is
/// the minimum of both inputs', and checkpoints align on both.
/// </summary>
/// <typeparam name="T1">The first input's elements.</typeparam>
/// <typeparam name="T2">The second input's elements.</typeparam>
public sealed class ConnectedStreams<T1, T2>
{
    internal ConnectedStreams(DataStream<T1> first, DataStream<T2> second)
    {
        FirstInput = first;
        SecondInput = first.SameEnvironment(second);
    }

    /// <summary>The first input.</summary>
    public DataStream<T1> FirstInput { get; }

    /// <summary>The second input.</summary>
    public DataStream<T2> SecondInput { get; }

    /// <summary>One result per element: <paramref name="map1"/> for the first input's, <paramref name="map2"/> for the second's.</summary>
    public DataStream<TOut> Map<TOut>(Func<T1, TOut> map1, Func<T2, TOut> map2) => Map(new LambdaCoMap<T1, T2, TOut>(map1, map2));

    /// <summary>One result per element of either input (Flink's <c>ConnectedStreams.map(CoMapFunction)</c>).</summary>
    /// <param name="function">The function; each parallel subtask runs its own (shallow) copy.</param>
    public DataStream<TOut> Map<TOut>(ICoMapFunction<T1, T2, TOut> function)
    {
        ArgumentNullException.ThrowIfNull(function);
        return Build<TOut>("Co-Map", output => new CoMapOperator<T1, T2, TOut>(FunctionCloner.Clone(function), keys: null, output));
    }

    /// <summary>Any number of results per element of either input (Flink's <c>ConnectedStreams.flatMap(CoFlatMapFunction)</c>).</summary>
    /// <param name="function">The function; each parallel subtask runs its own (shallow) copy.</param>
    public DataStream<TOut> FlatMap<TOut>(ICoFlatMapFunction<T1, T2, TOut> function)
    {
        ArgumentNullException.ThrowIfNull(function);
        return Build<TOut>("Co-Flat Map", output => new CoFlatMapOperator<T1, T2, TOut>(FunctionCloner.Clone(function), keys: null, output));
    }

    /// <summary>Runs <paramref name="function"/> on the elements of both inputs, with timestamps, the watermark and side outputs at hand (Flink's <c>ConnectedStreams.process(CoProcessFunction)</c>).</summary>
    /// <param name="function">The function; each parallel subtask runs its own (shallow) copy.</param>
    public DataStream<TOut> Process<TOut>(CoProcessFunction<T1, T2, TOut> function)
    {
        ArgumentNullException.ThrowIfNull(function);
        return Build<TOut>("Co-Process", output => new CoProcessOperator<T1, T2, TOut>(FunctionCloner.Clone(function), output));
    }

    /// <summary>
    /// Keys both inputs by the same key type (Flink's <c>ConnectedStreams.keyBy(key1, key2)</c>): elements
    /// of either input with equal keys go to the same subtask and share its keyed state and timers.
    /// </summary>
    public KeyedConnectedStreams<TKey, T1, T2> KeyBy<TKey>(Func<T1, TKey> key1, Func<T2, TKey> key2)
        where TKey : notnull
    {
        ArgumentNullException.ThrowIfNull(key1);
        ArgumentNullException.ThrowIfNull(key2);
        return new KeyedConnectedStreams<TKey, T1, T2>(FirstInput.KeyBy(key1), SecondInput.KeyBy(key2));
    }

    /// <summary>Adds the two-input operator, fed by both inputs (hash-partitioned when key-group functions are given).</summary>
    internal DataStream<TOut> Build<TOut>(
        string name,
        Func<IOutput<TOut>, TwoInputOperator<T1, T2, TOut>> factory,
        Func<string, int, KeyGroupRange, IKeyedStateBackend>? keyedBackend = null,
        Func<int, object>? keyGroups1 = null,
        Func<int, object>? keyGroups2 = null)
    {
        var environment = FirstInput.Environment;
        var node = environment.Register(id => new TwoInputNode<T1, T2, TOut>(id, name, factory) { KeyedBackendFactory = keyedBackend });
        FirstInput.AttachTo(node, keyGroups1, inputIndex: 0);
        SecondInput.AttachTo(node, keyGroups2, inputIndex: 1);
        return new DataStream<TOut>(environment, [node]);
    }
}
