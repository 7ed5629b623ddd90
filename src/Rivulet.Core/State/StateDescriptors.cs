using Rivulet.Core.State.Serialization;

namespace Rivulet.Core.State;

/// <summary>Names a piece of state and says how to serialize it.</summary>
public abstract class StateDescriptor
{
    protected StateDescriptor(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        Name = name;
    }

    public string Name { get; }
}

public sealed class ValueStateDescriptor<T>(string name, T defaultValue = default!, ITypeSerializer<T>? serializer = null) : StateDescriptor(name)
{
    public T DefaultValue { get; } = defaultValue;

    public ITypeSerializer<T>? Serializer { get; } = serializer;
}

public sealed class ListStateDescriptor<T>(string name, ITypeSerializer<T>? serializer = null) : StateDescriptor(name)
{
    public ITypeSerializer<T>? Serializer { get; } = serializer;
}

public sealed class MapStateDescriptor<TKey, TValue>(string name, ITypeSerializer<TKey>? keySerializer = null, ITypeSerializer<TValue>? valueSerializer = null)
    : StateDescriptor(name)
    where TKey : notnull
{
    public ITypeSerializer<TKey>? KeySerializer { get; } = keySerializer;

    public ITypeSerializer<TValue>? ValueSerializer { get; } = valueSerializer;
}

public sealed class ReducingStateDescriptor<T>(string name, Func<T, T, T> reduce, ITypeSerializer<T>? serializer = null) : StateDescriptor(name)
{
    public Func<T, T, T> Reduce { get; } = reduce ?? throw new ArgumentNullException(nameof(reduce));

    public ITypeSerializer<T>? Serializer { get; } = serializer;
}
