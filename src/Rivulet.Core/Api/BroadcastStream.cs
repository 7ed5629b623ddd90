using Rivulet.Core.Api.Functions;
using Rivulet.Core.Runtime;
using Rivulet.Core.Runtime.Operators;
using Rivulet.Core.State;

namespace Rivulet.Core.Api;

/// <summary>
/// A stream whose every element goes to every subtask of the operator it is connected to, together
/// with the broadcast states that operator keeps (Flink's <c>BroadcastStream</c>), made by
/// <see cref="DataStream{T}.Broadcast(StateDescriptor, StateDescriptor[])"/>. Connect a keyed or
/// non-keyed stream to it and process both with a (keyed) broadcast process function.
/// </summary>
/// <typeparam name="T">The broadcast elements.</typeparam>
public sealed class BroadcastStream<T>
{
    internal BroadcastStream(DataStream<T> input, IReadOnlyList<string> stateNames)
    {
        Input = input;
        StateNames = stateNames;
    }

    /// <summary>The names of the broadcast states (the descriptors given to <c>Broadcast</c>).</summary>
    public IReadOnlyList<string> StateNames { get; }

    internal DataStream<T> Input { get; }

    internal BroadcastStates States() => new(StateNames);
}

/// <summary>
/// A non-keyed stream connected with a <see cref="BroadcastStream{T}"/> (Flink's <c>BroadcastConnectedStream</c>):
/// process it with a <see cref="BroadcastProcessFunction{TIn1, TIn2, TOut}"/>.
/// </summary>
/// <typeparam name="T1">The non-broadcast stream's elements.</typeparam>
/// <typeparam name="T2">The broadcast elements.</typeparam>
public sealed class BroadcastConnectedStream<T1, T2>
{
    private readonly ConnectedStreams<T1, T2> _connected;
    private readonly BroadcastStream<T2> _broadcast;

    internal BroadcastConnectedStream(DataStream<T1> input, BroadcastStream<T2> broadcast)
    {
        _connected = new ConnectedStreams<T1, T2>(input, broadcast.Input);
        _broadcast = broadcast;
    }

    /// <summary>Runs <paramref name="function"/>: the stream's elements read the broadcast state, broadcast elements change it on every subtask.</summary>
    /// <param name="function">The function; each parallel subtask runs its own (shallow) copy.</param>
    public DataStream<TOut> Process<TOut>(BroadcastProcessFunction<T1, T2, TOut> function)
    {
        ArgumentNullException.ThrowIfNull(function);
        var broadcast = _broadcast;
        return _connected.Build<TOut>("Broadcast Process", output => new BroadcastProcessOperator<T1, T2, TOut>(FunctionCloner.Clone(function), broadcast.States(), output));
    }
}

/// <summary>
/// A keyed stream connected with a <see cref="BroadcastStream{T}"/> (Flink's <c>BroadcastConnectedStream</c>
/// on a keyed stream): process it with a <see cref="KeyedBroadcastProcessFunction{TKey, TIn1, TIn2, TOut}"/>.
/// </summary>
/// <typeparam name="TKey">The keyed stream's key.</typeparam>
/// <typeparam name="T1">The keyed stream's elements.</typeparam>
/// <typeparam name="T2">The broadcast elements.</typeparam>
public sealed class KeyedBroadcastConnectedStream<TKey, T1, T2>
    where TKey : notnull
{
    private readonly KeyedStream<TKey, T1> _keyed;
    private readonly BroadcastStream<T2> _broadcast;
    private readonly ConnectedStreams<T1, T2> _connected;

    internal KeyedBroadcastConnectedStream(KeyedStream<TKey, T1> keyed, BroadcastStream<T2> broadcast)
    {
        _keyed = keyed;
        _broadcast = broadcast;
        _connected = new ConnectedStreams<T1, T2>(keyed.Input, broadcast.Input);
    }

    /// <summary>
    /// Runs <paramref name="function"/>: keyed elements with their key's state and timers and the broadcast
    /// state read-only; broadcast elements change the broadcast state on every subtask.
    /// </summary>
    /// <param name="function">The function; each parallel subtask runs its own (shallow) copy.</param>
    public DataStream<TOut> Process<TOut>(KeyedBroadcastProcessFunction<TKey, T1, T2, TOut> function)
    {
        ArgumentNullException.ThrowIfNull(function);
        var selector = _keyed.KeySelector;
        var broadcast = _broadcast;
        var serializer = _keyed.KeySerializer;
        return _connected.Build<TOut>(
            "Keyed Broadcast Process",
            output => new KeyedBroadcastProcessOperator<TKey, T1, T2, TOut>(FunctionCloner.Clone(function), selector, broadcast.States(), output),
            KeyedStream<TKey, T1>.KeyedBackend(serializer),
            KeyedStream<TKey, T1>.KeyGroups(serializer, selector));
    }
}
