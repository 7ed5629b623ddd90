using Rivulet.Core.State.Serialization;

namespace Rivulet.Core.State;

/// <summary>
/// Keyed state of one keyed operator subtask, on the heap, sharded by key group. The runtime sets
/// the current key before each element; state handles read and write that key's entry.
/// </summary>
internal sealed class HeapKeyedStateBackend<TKey> : IKeyedStateStore, IKeyedStateBackend
    where TKey : notnull
{
    private const int FormatVersion = 1;
    private readonly string _owner;
    private readonly ITypeSerializer<TKey> _keySerializer;
    private readonly KeyGroupHasher<TKey> _hasher;
    private readonly bool _ownsAllKeyGroups;
    private readonly Dictionary<string, IKeyedStateTable> _tables = new(StringComparer.Ordinal);
    private readonly Dictionary<string, object> _handles = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<(int KeyGroup, byte[] Blob)>> _unclaimed = new(StringComparer.Ordinal);

    public HeapKeyedStateBackend(string owner, ITypeSerializer<TKey> keySerializer, int maxParallelism, KeyGroupRange range)
    {
        _owner = owner;
        _keySerializer = keySerializer;
        MaxParallelism = maxParallelism;
        Range = range;
        _hasher = new KeyGroupHasher<TKey>(keySerializer, maxParallelism);
        _ownsAllKeyGroups = range.Start == 0 && range.Count == maxParallelism;
    }

    public KeyGroupRange Range { get; }

    public int MaxParallelism { get; }

    public TKey CurrentKey { get; private set; } = default!;

    // Runs for every keyed record: small enough to inline, with the failure message built elsewhere.
    // The key group is only worked out to check the key belongs here; a subtask that owns every key
    // group (parallelism 1) has nothing to check, and state is one dictionary per state, not per group.
    public void SetCurrentKey(TKey key)
    {
        CurrentKey = key;
        if (!_ownsAllKeyGroups)
        {
            var keyGroup = _hasher.KeyGroupOf(key);
            if (!Range.Contains(keyGroup))
            {
                ThrowKeyOutsideRange(key, keyGroup);
            }
        }
    }

    [System.Diagnostics.CodeAnalysis.DoesNotReturn]
    private void ThrowKeyOutsideRange(TKey key, int keyGroup) =>
        throw new InvalidOperationException($"{_owner}: key '{key}' (key group {keyGroup}) reached a subtask that owns key groups {Range.Start}-{Range.End}.");

    public IValueState<T> GetState<T>(ValueStateDescriptor<T> descriptor)
    {
        var table = Table(descriptor.Name, descriptor.Serializer ?? TypeSerializers.For<T>($"{_owner}, state '{descriptor.Name}'"));
        return Handle(descriptor.Name, () => new HeapValueState<TKey, T>(this, table, descriptor.DefaultValue));
    }

    public IListState<T> GetListState<T>(ListStateDescriptor<T> descriptor)
    {
        var serializer = descriptor.Serializer ?? TypeSerializers.For<T>($"{_owner}, state '{descriptor.Name}'");
        var table = Table<List<T>>(descriptor.Name, (list, w) =>
        {
            w.Write(list.Count);
            foreach (var item in list)
            {
                serializer.Serialize(item, w);
            }
        }, r =>
        {
            var count = r.ReadInt32();
            var list = new List<T>(count);
            for (var i = 0; i < count; i++)
            {
                list.Add(serializer.Deserialize(r));
            }

            return list;
        });
        return Handle(descriptor.Name, () => new HeapListState<TKey, T>(this, table));
    }

    public IMapState<TMapKey, TValue> GetMapState<TMapKey, TValue>(MapStateDescriptor<TMapKey, TValue> descriptor)
        where TMapKey : notnull
    {
        var keys = descriptor.KeySerializer ?? TypeSerializers.For<TMapKey>($"{_owner}, state '{descriptor.Name}'");
        var values = descriptor.ValueSerializer ?? TypeSerializers.For<TValue>($"{_owner}, state '{descriptor.Name}'");
        var table = Table<Dictionary<TMapKey, TValue>>(descriptor.Name, (map, w) =>
        {
            w.Write(map.Count);
            foreach (var (k, v) in map)
            {
                keys.Serialize(k, w);
                values.Serialize(v, w);
            }
        }, r =>
        {
            var count = r.ReadInt32();
            var map = new Dictionary<TMapKey, TValue>(count);
            for (var i = 0; i < count; i++)
            {
                map[keys.Deserialize(r)] = values.Deserialize(r);
            }

            return map;
        });
        return Handle(descriptor.Name, () => new HeapMapState<TKey, TMapKey, TValue>(this, table));
    }

    public IReducingState<T> GetReducingState<T>(ReducingStateDescriptor<T> descriptor)
    {
        var table = Table(descriptor.Name, descriptor.Serializer ?? TypeSerializers.For<T>($"{_owner}, state '{descriptor.Name}'"));
        return Handle(descriptor.Name, () => new HeapReducingState<TKey, T>(this, table, descriptor.Reduce));
    }

    /// <summary>
    /// Calls <paramref name="action"/> with every key that has an entry in the state <paramref name="name"/>,
    /// that key current (Flink's <c>applyToKeyedState</c>); the current key is put back afterwards.
    /// </summary>
    internal void ForEachKey(string name, Action<TKey> action)
    {
        if (!_tables.TryGetValue(name, out var table))
        {
            return;
        }

        var previous = CurrentKey;
        // A copy: the action may clear the key's state, which removes it from the table.
        foreach (var key in ((IKeyedStateKeys<TKey>)table).Keys.ToList())
        {
            SetCurrentKey(key);
            action(key);
        }

        CurrentKey = previous;
    }

    public void Snapshot(BinaryWriter writer)
    {
        writer.Write(FormatVersion);
        var names = _tables.Keys.Concat(_unclaimed.Keys).Distinct().Order(StringComparer.Ordinal).ToList();
        writer.Write(names.Count);
        using var blob = new MemoryStream();
        using var blobWriter = new BinaryWriter(blob);
        foreach (var name in names)
        {
            writer.Write(name);
            if (_tables.TryGetValue(name, out var table))
            {
                var grouped = table.GroupForSnapshot();
                writer.Write(Range.Count);
                for (var group = Range.Start; group <= Range.End; group++)
                {
                    blob.SetLength(0);
                    grouped.WriteGroup(group, blobWriter);
                    blobWriter.Flush();
                    writer.Write(group);
                    writer.Write((int)blob.Length);
                    writer.Write(blob.GetBuffer(), 0, (int)blob.Length);
                }
            }
            else
            {
                var groups = _unclaimed[name];
                writer.Write(groups.Count);
                foreach (var (group, bytes) in groups)
                {
                    writer.Write(group);
                    writer.Write(bytes.Length);
                    writer.Write(bytes);
                }
            }
        }
    }

    /// <summary>Takes the key groups this subtask owns from one earlier subtask's snapshot.</summary>
    public void Restore(BinaryReader reader)
    {
        var version = reader.ReadInt32();
        if (version != FormatVersion)
        {
            throw new InvalidOperationException($"{_owner}: keyed state snapshot format {version} is not supported (expected {FormatVersion}).");
        }

        var names = reader.ReadInt32();
        for (var n = 0; n < names; n++)
        {
            var name = reader.ReadString();
            var groups = reader.ReadInt32();
            for (var g = 0; g < groups; g++)
            {
                var group = reader.ReadInt32();
                var length = reader.ReadInt32();
                var bytes = reader.ReadExactly(length);
                if (Range.Contains(group))
                {
                    if (!_unclaimed.TryGetValue(name, out var list))
                    {
                        _unclaimed[name] = list = [];
                    }

                    list.Add((group, bytes));
                }
            }
        }
    }

    private KeyedStateTable<TKey, TState> Table<TState>(string name, ITypeSerializer<TState> serializer) =>
        Table<TState>(name, serializer.Serialize, serializer.Deserialize);

    /// <summary>
    /// A state table of the runtime's own (timers, window contents): snapshotted and moved by key
    /// group like user state, restored from the checkpoint when it holds one under that name.
    /// </summary>
    internal KeyedStateTable<TKey, TState> Table<TState>(string name, Action<TState, BinaryWriter> write, Func<BinaryReader, TState> read)
    {
        if (_tables.TryGetValue(name, out var existing))
        {
            return existing as KeyedStateTable<TKey, TState>
                ?? throw new InvalidOperationException($"{_owner}: state '{name}' was registered before with another kind or type.");
        }

        var table = new KeyedStateTable<TKey, TState>(Range, _keySerializer, _hasher.KeyGroupOf, write, read);
        if (_unclaimed.Remove(name, out var restored))
        {
            foreach (var (group, bytes) in restored)
            {
                using var reader = new BinaryReader(new MemoryStream(bytes));
                table.ReadGroup(group, reader);
            }
        }

        _tables[name] = table;
        return table;
    }

    private TState Handle<TState>(string name, Func<TState> create)
        where TState : class
    {
        if (!_handles.TryGetValue(name, out var handle))
        {
            _handles[name] = handle = create();
        }

        return handle as TState ?? throw new InvalidOperationException($"{_owner}: state '{name}' was registered before with another kind or type.");
    }
}

/// <summary>The type-erased face of a keyed backend for the runtime.</summary>
internal interface IKeyedStateBackend
{
    void Snapshot(BinaryWriter writer);

    void Restore(BinaryReader reader);
}
