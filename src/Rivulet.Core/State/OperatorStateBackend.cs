using Rivulet.Core.State.Serialization;

namespace Rivulet.Core.State;

/// <summary>
/// Operator list state and broadcast state of one subtask. Entries are kept serialized per entry in
/// snapshots so a restore can redistribute them (even split, union, or one copy of the broadcast
/// state per subtask) without knowing their types.
/// </summary>
internal sealed class OperatorStateBackend(string owner) : IOperatorStateStore
{
    private const int FormatVersion = 1;
    private readonly Dictionary<string, IRegisteredListState> _states = new(StringComparer.Ordinal);
    private readonly Dictionary<string, RestoredListState> _restored = new(StringComparer.Ordinal);

    public IListState<T> GetListState<T>(ListStateDescriptor<T> descriptor) => Get(descriptor, OperatorStateMode.EvenSplit);

    public IListState<T> GetUnionListState<T>(ListStateDescriptor<T> descriptor) => Get(descriptor, OperatorStateMode.Union);

    /// <summary>
    /// This subtask's broadcast state named by <paramref name="descriptor"/>, with what it restored: every
    /// subtask snapshots its own (equal) copy, and on restore each subtask takes one of them.
    /// </summary>
    /// <exception cref="InvalidOperationException">The name is registered already with another type or mode, or was checkpointed as list state.</exception>
    public IBroadcastState<TKey, TValue> GetBroadcastState<TKey, TValue>(MapStateDescriptor<TKey, TValue> descriptor)
        where TKey : notnull
    {
        if (_states.TryGetValue(descriptor.Name, out var existing))
        {
            return existing as BroadcastMapState<TKey, TValue>
                ?? throw new InvalidOperationException($"{owner}: operator state '{descriptor.Name}' was registered before with another type or mode.");
        }

        var keys = descriptor.KeySerializer ?? TypeSerializers.For<TKey>($"{owner}, broadcast state '{descriptor.Name}'");
        var values = descriptor.ValueSerializer ?? TypeSerializers.For<TValue>($"{owner}, broadcast state '{descriptor.Name}'");
        var state = new BroadcastMapState<TKey, TValue>(keys, values);
        if (_restored.Remove(descriptor.Name, out var restored))
        {
            if (restored.Mode != OperatorStateMode.Broadcast)
            {
                throw new InvalidOperationException($"{owner}: operator state '{descriptor.Name}' was checkpointed as {restored.Mode} list state but is now requested as broadcast state.");
            }

            foreach (var entry in restored.Entries)
            {
                state.Restore(entry);
            }
        }

        _states[descriptor.Name] = state;
        return state;
    }

    public bool HasRestoredState => _restored.Count > 0;

    /// <summary>Hands in the entries this subtask gets after redistribution.</summary>
    public void AddRestored(string name, OperatorStateMode mode, IEnumerable<byte[]> entries)
    {
        if (!_restored.TryGetValue(name, out var restored))
        {
            _restored[name] = restored = new RestoredListState(mode, []);
        }

        restored.Entries.AddRange(entries);
    }

    public void Snapshot(BinaryWriter writer)
    {
        writer.Write(FormatVersion);
        var names = _states.Keys.Concat(_restored.Keys).Distinct().Order(StringComparer.Ordinal).ToList();
        writer.Write(names.Count);
        foreach (var name in names)
        {
            writer.Write(name);
            if (_states.TryGetValue(name, out var state))
            {
                writer.Write((int)state.Mode);
                var entries = state.SerializedEntries();
                writer.Write(entries.Count);
                foreach (var entry in entries)
                {
                    writer.Write(entry.Length);
                    writer.Write(entry);
                }
            }
            else
            {
                // Restored but not claimed in this attempt: carry it forward untouched.
                var restored = _restored[name];
                writer.Write((int)restored.Mode);
                writer.Write(restored.Entries.Count);
                foreach (var entry in restored.Entries)
                {
                    writer.Write(entry.Length);
                    writer.Write(entry);
                }
            }
        }
    }

    /// <summary>Reads one subtask's snapshot as (name, mode, entries).</summary>
    public static IEnumerable<(string Name, OperatorStateMode Mode, List<byte[]> Entries)> Read(BinaryReader reader, string owner)
    {
        var version = reader.ReadInt32();
        if (version != FormatVersion)
        {
            throw new InvalidOperationException($"{owner}: operator state snapshot format {version} is not supported (expected {FormatVersion}).");
        }

        var names = reader.ReadInt32();
        for (var n = 0; n < names; n++)
        {
            var name = reader.ReadString();
            var mode = (OperatorStateMode)reader.ReadInt32();
            var count = reader.ReadInt32();
            var entries = new List<byte[]>(count);
            for (var i = 0; i < count; i++)
            {
                entries.Add(reader.ReadExactly(reader.ReadInt32()));
            }

            yield return (name, mode, entries);
        }
    }

    private ListOperatorState<T> Get<T>(ListStateDescriptor<T> descriptor, OperatorStateMode mode)
    {
        if (_states.TryGetValue(descriptor.Name, out var existing))
        {
            return existing as ListOperatorState<T> is { } typed && typed.Mode == mode
                ? typed
                : throw new InvalidOperationException($"{owner}: operator state '{descriptor.Name}' was registered before with another type or mode.");
        }

        var serializer = descriptor.Serializer ?? TypeSerializers.For<T>($"{owner}, operator state '{descriptor.Name}'");
        var state = new ListOperatorState<T>(mode, serializer);
        if (_restored.Remove(descriptor.Name, out var restored))
        {
            if (restored.Mode != mode)
            {
                throw new InvalidOperationException($"{owner}: operator state '{descriptor.Name}' was checkpointed as {restored.Mode} list state but is now requested as {mode}.");
            }

            foreach (var entry in restored.Entries)
            {
                using var reader = new BinaryReader(new MemoryStream(entry));
                state.Add(serializer.Deserialize(reader));
            }
        }

        _states[descriptor.Name] = state;
        return state;
    }

    private sealed record RestoredListState(OperatorStateMode Mode, List<byte[]> Entries);

    private interface IRegisteredListState
    {
        OperatorStateMode Mode { get; }

        List<byte[]> SerializedEntries();
    }

    /// <summary>A broadcast state: one map; each entry (key then value) is one snapshot entry.</summary>
    private sealed class BroadcastMapState<TKey, TValue>(ITypeSerializer<TKey> keys, ITypeSerializer<TValue> values) : IBroadcastState<TKey, TValue>, IRegisteredListState
        where TKey : notnull
    {
        private readonly Dictionary<TKey, TValue> _map = [];

        public OperatorStateMode Mode => OperatorStateMode.Broadcast;

        public bool TryGet(TKey key, out TValue value) => _map.TryGetValue(key, out value!);

        public bool Contains(TKey key) => _map.ContainsKey(key);

        public IEnumerable<KeyValuePair<TKey, TValue>> Entries() => _map;

        public void Put(TKey key, TValue value) => _map[key] = value;

        public bool Remove(TKey key) => _map.Remove(key);

        public void Clear() => _map.Clear();

        public void Restore(byte[] entry)
        {
            using var reader = new BinaryReader(new MemoryStream(entry));
            var key = keys.Deserialize(reader);
            _map[key] = values.Deserialize(reader);
        }

        public List<byte[]> SerializedEntries()
        {
            var entries = new List<byte[]>(_map.Count);
            using var buffer = new MemoryStream();
            using var writer = new BinaryWriter(buffer);
            foreach (var (key, value) in _map)
            {
                buffer.SetLength(0);
                keys.Serialize(key, writer);
                values.Serialize(value, writer);
                writer.Flush();
                entries.Add(buffer.ToArray());
            }

            return entries;
        }
    }

    private sealed class ListOperatorState<T>(OperatorStateMode mode, ITypeSerializer<T> serializer) : IListState<T>, IRegisteredListState
    {
        private readonly List<T> _items = [];

        public OperatorStateMode Mode => mode;

        public IEnumerable<T> Get() => _items;

        public void Add(T value) => _items.Add(value);

        public void AddAll(IEnumerable<T> values) => _items.AddRange(values);

        public void Update(IEnumerable<T> values)
        {
            var copy = values.ToList();
            _items.Clear();
            _items.AddRange(copy);
        }

        public void Clear() => _items.Clear();

        public List<byte[]> SerializedEntries()
        {
            var entries = new List<byte[]>(_items.Count);
            using var buffer = new MemoryStream();
            using var writer = new BinaryWriter(buffer);
            foreach (var item in _items)
            {
                buffer.SetLength(0);
                serializer.Serialize(item, writer);
                writer.Flush();
                entries.Add(buffer.ToArray());
            }

            return entries;
        }
    }
}

/// <summary>How operator list state is redistributed on restore.</summary>
public enum OperatorStateMode
{
    /// <summary>Entries are split evenly over the new subtasks.</summary>
    EvenSplit = 0,

    /// <summary>Every subtask gets every entry.</summary>
    Union = 1,

    /// <summary>Broadcast state: every subtask wrote the same map; each new subtask gets one old subtask's copy.</summary>
    Broadcast = 2,
}
