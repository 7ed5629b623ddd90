using Rivulet.Core.State.Serialization;

namespace Rivulet.Core.State;

/// <summary>Names a piece of state and says how to serialize it.</summary>
public abstract class StateDescriptor
{
    /// <summary>Names the state <paramref name="name"/>.</summary>
    /// <exception cref="ArgumentException"><paramref name="name"/> is null, empty or whitespace.</exception>
    protected StateDescriptor(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        Name = name;
    }

    /// <summary>The state's name within its operator: it is checkpointed and restored under it, so keep it stable across versions of the job.</summary>
    public string Name { get; }

    /// <summary>The time-to-live of keyed state of this descriptor; null = entries live until cleared.</summary>
    public StateTtlConfig? TtlConfig { get; private set; }

    /// <summary>
    /// Makes keyed state of this descriptor expire as <paramref name="config"/> says (Flink's
    /// <c>enableTimeToLive</c>). Set it before the state is first requested; a state checkpointed
    /// without time-to-live cannot be restored with it, nor the other way round.
    /// </summary>
    public void EnableTimeToLive(StateTtlConfig config) => TtlConfig = config ?? throw new ArgumentNullException(nameof(config));
}

/// <summary>Describes a keyed value state (Flink's <c>ValueStateDescriptor</c>).</summary>
/// <typeparam name="T">The type of the value.</typeparam>
/// <param name="name">The state's name.</param>
/// <param name="defaultValue">What the state reads as for a key without a value (default: <c>default(T)</c>).</param>
/// <param name="serializer">How values are written to checkpoints; null picks the built-in one (<see cref="TypeSerializers.For{T}"/>) when the state is first requested.</param>
public sealed class ValueStateDescriptor<T>(string name, T defaultValue = default!, ITypeSerializer<T>? serializer = null) : StateDescriptor(name)
{
    /// <summary>What <see cref="IValueState{T}.Value"/> returns for a key without a value, also after <see cref="IValueState{T}.Clear"/>; the same instance for every key, so do not change a mutable default in place.</summary>
    public T DefaultValue { get; } = defaultValue;

    /// <summary>The serializer given to the constructor; null means the built-in one for <typeparamref name="T"/>.</summary>
    public ITypeSerializer<T>? Serializer { get; } = serializer;
}

/// <summary>Describes list state: keyed (Flink's <c>ListState</c>), or an operator's list or union list state.</summary>
/// <typeparam name="T">The type of the elements.</typeparam>
/// <param name="name">The state's name.</param>
/// <param name="serializer">How elements are written to checkpoints; null picks the built-in one (<see cref="TypeSerializers.For{T}"/>) when the state is first requested.</param>
public sealed class ListStateDescriptor<T>(string name, ITypeSerializer<T>? serializer = null) : StateDescriptor(name)
{
    /// <summary>The serializer given to the constructor; null means the built-in one for <typeparamref name="T"/>.</summary>
    public ITypeSerializer<T>? Serializer { get; } = serializer;
}

/// <summary>Describes a keyed map state (Flink's <c>MapStateDescriptor</c>).</summary>
/// <typeparam name="TKey">The type of the map's keys.</typeparam>
/// <typeparam name="TValue">The type of the map's values.</typeparam>
/// <param name="name">The state's name.</param>
/// <param name="keySerializer">How map keys are written to checkpoints; null picks the built-in one when the state is first requested.</param>
/// <param name="valueSerializer">How map values are written to checkpoints; null picks the built-in one when the state is first requested.</param>
public sealed class MapStateDescriptor<TKey, TValue>(string name, ITypeSerializer<TKey>? keySerializer = null, ITypeSerializer<TValue>? valueSerializer = null)
    : StateDescriptor(name)
    where TKey : notnull
{
    /// <summary>The map-key serializer given to the constructor; null means the built-in one for <typeparamref name="TKey"/>.</summary>
    public ITypeSerializer<TKey>? KeySerializer { get; } = keySerializer;

    /// <summary>The map-value serializer given to the constructor; null means the built-in one for <typeparamref name="TValue"/>.</summary>
    public ITypeSerializer<TValue>? ValueSerializer { get; } = valueSerializer;
}

/// <summary>Describes a keyed reducing state (Flink's <c>ReducingStateDescriptor</c>).</summary>
/// <typeparam name="T">The type of the value.</typeparam>
/// <param name="name">The state's name.</param>
/// <param name="reduce">Folds an added value into the current one: <c>reduce(current, added)</c>.</param>
/// <param name="serializer">How values are written to checkpoints; null picks the built-in one (<see cref="TypeSerializers.For{T}"/>) when the state is first requested.</param>
/// <exception cref="ArgumentNullException"><paramref name="reduce"/> is null.</exception>
public sealed class ReducingStateDescriptor<T>(string name, Func<T, T, T> reduce, ITypeSerializer<T>? serializer = null) : StateDescriptor(name)
{
    /// <summary>Folds an added value into the current one: <c>Reduce(current, added)</c>.</summary>
    public Func<T, T, T> Reduce { get; } = reduce ?? throw new ArgumentNullException(nameof(reduce));

    /// <summary>The serializer given to the constructor; null means the built-in one for <typeparamref name="T"/>.</summary>
    public ITypeSerializer<T>? Serializer { get; } = serializer;
}
