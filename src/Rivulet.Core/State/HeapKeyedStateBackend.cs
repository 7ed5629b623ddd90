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
    private readonly KeyGroupHasher<TKey>? _hasher;
    private readonly Func<TKey, int> _keyGroupOf;
    private readonly bool _ownsAllKeyGroups;
    private readonly string? _scope;
    private readonly Dictionary<string, IKeyedStateTable> _tables;
    private readonly Dictionary<string, object> _handles = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<(int KeyGroup, byte[] Blob)>> _unclaimed;
    private readonly List<TtlIncrementalCleanup<TKey>> _incrementalCleanups = [];
    private bool _cleanupForEveryRecord;
    private TimeProvider _clock = TimeProvider.System;

    public HeapKeyedStateBackend(string owner, ITypeSerializer<TKey> keySerializer, int maxParallelism, KeyGroupRange range)
    {
        _owner = owner;
        _keySerializer = keySerializer;
        MaxParallelism = maxParallelism;
        Range = range;
        _hasher = new KeyGroupHasher<TKey>(keySerializer, maxParallelism);
        _keyGroupOf = _hasher.KeyGroupOf;
        _ownsAllKeyGroups = range.Start == 0 && range.Count == maxParallelism;
        _tables = new(StringComparer.Ordinal);
        _unclaimed = new(StringComparer.Ordinal);
    }

    /// <summary>A scoped backend: its tables live in the parent's snapshot, grouped by the key group of each entry's parent key.</summary>
    private HeapKeyedStateBackend(string owner, ITypeSerializer<TKey> keySerializer, int maxParallelism, KeyGroupRange range, Func<TKey, int> keyGroupOf,
        string scope, Dictionary<string, IKeyedStateTable> tables, Dictionary<string, List<(int KeyGroup, byte[] Blob)>> unclaimed, TimeProvider clock)
    {
        _owner = owner;
        _keySerializer = keySerializer;
        MaxParallelism = maxParallelism;
        Range = range;
        _keyGroupOf = keyGroupOf;
        _ownsAllKeyGroups = true; // every scoped key extends a parent key that was checked when it became current
        _scope = scope;
        _tables = tables;
        _unclaimed = unclaimed;
        _clock = clock;
    }

    /// <summary>
    /// Keyed state with a finer key than this backend's — e.g. one key and one window (Flink's
    /// namespaces): <paramref name="parentKeyOf"/> gives the key an entry moves with on rescaling.
    /// Its states are stored under their names plus "(<paramref name="scope"/>)" in this backend's
    /// snapshots, so they never meet this backend's own states of the same name.
    /// </summary>
    internal HeapKeyedStateBackend<TScoped> Scoped<TScoped>(string scope, ITypeSerializer<TScoped> serializer, Func<TScoped, TKey> parentKeyOf)
        where TScoped : notnull
    {
        var keyGroupOf = _keyGroupOf;
        return new HeapKeyedStateBackend<TScoped>($"{_owner} ({scope})", serializer, MaxParallelism, Range, scoped => keyGroupOf(parentKeyOf(scoped)),
            _scope is null ? scope : $"{_scope}, {scope}", _tables, _unclaimed, _clock);
    }

    /// <summary>The name a state is registered and snapshotted under.</summary>
    private string Stored(string name) => _scope is null ? name : $"{name} ({_scope})";

    public KeyGroupRange Range { get; }

    /// <summary>How keys are written in snapshots.</summary>
    internal ITypeSerializer<TKey> KeySerializer => _keySerializer;

    public int MaxParallelism { get; }

    private TKey _currentKey = default!;
    private bool _noCurrentKey;

    /// <summary>The key state handles read and write; set by the runtime before user code runs for a key.</summary>
    /// <exception cref="InvalidOperationException">There is no key (a broadcast element is being processed).</exception>
    public TKey CurrentKey
    {
        get => _noCurrentKey ? ThrowNoCurrentKey() : _currentKey;
        private set
        {
            _currentKey = value;
            _noCurrentKey = false;
        }
    }

    /// <summary>
    /// Until the next key is set, keyed state has no key: a broadcast element belongs to no key, and
    /// state touched while processing one fails instead of changing whichever key came last.
    /// </summary>
    internal void ClearCurrentKey() => _noCurrentKey = true;

    [System.Diagnostics.CodeAnalysis.DoesNotReturn]
    private TKey ThrowNoCurrentKey() =>
        throw new InvalidOperationException(
            $"{_owner}: keyed state was used without a current key — while processing a broadcast element, which belongs to no key. " +
            "Reach keyed state there with Context.ApplyToKeyedState.");

    // Runs for every keyed record: small enough to inline, with the failure message built elsewhere.
    // The key group is only worked out to check the key belongs here; a subtask that owns every key
    // group (parallelism 1) has nothing to check, and state is one dictionary per state, not per group.
    public void SetCurrentKey(TKey key)
    {
        if (_cleanupForEveryRecord)
        {
            CleanUpIncrementally();
        }

        CurrentKey = key;
        if (!_ownsAllKeyGroups)
        {
            var keyGroup = _hasher!.KeyGroupOf(key);
            if (!Range.Contains(keyGroup))
            {
                ThrowKeyOutsideRange(key, keyGroup);
            }
        }
    }

    [System.Diagnostics.CodeAnalysis.DoesNotReturn]
    private void ThrowKeyOutsideRange(TKey key, int keyGroup) =>
        throw new InvalidOperationException($"{_owner}: key '{key}' (key group {keyGroup}) reached a subtask that owns key groups {Range.Start}-{Range.End}.");

    /// <summary>The clock time-to-live is measured on (the job's).</summary>
    public void UseClock(TimeProvider clock) => _clock = clock;

    /// <summary>One step of every incremental time-to-live cleanup (at state accesses, and per record when asked for).</summary>
    internal void CleanUpIncrementally()
    {
        foreach (var cleanup in _incrementalCleanups)
        {
            cleanup.Step();
        }
    }

    public IValueState<T> GetState<T>(ValueStateDescriptor<T> descriptor)
    {
        var values = descriptor.Serializer ?? TypeSerializers.For<T>($"{_owner}, state '{descriptor.Name}'");
        if (descriptor.TtlConfig is { } config)
        {
            var ttl = Policy(config);
            var ttlTable = TtlTable(descriptor, new TtlValueSerializer<T>(values), ttl, entry => !ttl.Expired(entry.LastAccess, ttl.Now));
            return Handle(descriptor.Name, () => new HeapTtlValueState<TKey, T>(this, ttlTable, descriptor.DefaultValue, ttl));
        }

        var table = Table(PlainName(descriptor), values);
        return Handle(descriptor.Name, () => new HeapValueState<TKey, T>(this, table, descriptor.DefaultValue));
    }

    public IListState<T> GetListState<T>(ListStateDescriptor<T> descriptor)
    {
        var serializer = descriptor.Serializer ?? TypeSerializers.For<T>($"{_owner}, state '{descriptor.Name}'");
        if (descriptor.TtlConfig is { } config)
        {
            var ttl = Policy(config);
            var elements = new TtlValueSerializer<T>(serializer);
            var ttlTable = TtlTable(descriptor, new ListSerializer<TtlValue<T>>(elements), ttl, list =>
            {
                var now = ttl.Now;
                list.RemoveAll(e => ttl.Expired(e.LastAccess, now));
                return list.Count > 0;
            });
            return Handle(descriptor.Name, () => new HeapTtlListState<TKey, T>(this, ttlTable, ttl));
        }

        var table = Table(PlainName(descriptor), new ListSerializer<T>(serializer));
        return Handle(descriptor.Name, () => new HeapListState<TKey, T>(this, table));
    }

    public IMapState<TMapKey, TValue> GetMapState<TMapKey, TValue>(MapStateDescriptor<TMapKey, TValue> descriptor)
        where TMapKey : notnull
    {
        var keys = descriptor.KeySerializer ?? TypeSerializers.For<TMapKey>($"{_owner}, state '{descriptor.Name}'");
        var values = descriptor.ValueSerializer ?? TypeSerializers.For<TValue>($"{_owner}, state '{descriptor.Name}'");
        if (descriptor.TtlConfig is { } config)
        {
            var ttl = Policy(config);
            var ttlTable = TtlTable(descriptor, new MapSerializer<TMapKey, TtlValue<TValue>>(keys, new TtlValueSerializer<TValue>(values)), ttl, map =>
            {
                var now = ttl.Now;
                foreach (var expired in map.Where(e => ttl.Expired(e.Value.LastAccess, now)).Select(e => e.Key).ToList())
                {
                    map.Remove(expired);
                }

                return map.Count > 0;
            });
            return Handle(descriptor.Name, () => new HeapTtlMapState<TKey, TMapKey, TValue>(this, ttlTable, ttl));
        }

        var table = Table(PlainName(descriptor), new MapSerializer<TMapKey, TValue>(keys, values));
        return Handle(descriptor.Name, () => new HeapMapState<TKey, TMapKey, TValue>(this, table));
    }

    public IReducingState<T> GetReducingState<T>(ReducingStateDescriptor<T> descriptor)
    {
        var values = descriptor.Serializer ?? TypeSerializers.For<T>($"{_owner}, state '{descriptor.Name}'");
        if (descriptor.TtlConfig is { } config)
        {
            var ttl = Policy(config);
            var ttlTable = TtlTable(descriptor, new TtlValueSerializer<T>(values), ttl, entry => !ttl.Expired(entry.LastAccess, ttl.Now));
            return Handle(descriptor.Name, () => new HeapTtlReducingState<TKey, T>(this, ttlTable, descriptor.Reduce, ttl));
        }

        var table = Table(PlainName(descriptor), values);
        return Handle(descriptor.Name, () => new HeapReducingState<TKey, T>(this, table, descriptor.Reduce));
    }

    /// <summary>
    /// Calls <paramref name="action"/> with every key that has an entry in the state <paramref name="descriptor"/> names,
    /// that key current (Flink's <c>applyToKeyedState</c>); the current key is put back afterwards.
    /// </summary>
    internal void ForEachKey(StateDescriptor descriptor, Action<TKey> action)
    {
        if (!_tables.TryGetValue(Stored(StorageName(descriptor)), out var table))
        {
            return;
        }

        var previous = _currentKey;
        var hadNoKey = _noCurrentKey;
        // A copy: the action may clear the key's state, which removes it from the table.
        // Keys of this subtask's own table: no range check, and not a record (no per-record cleanup).
        foreach (var key in ((IKeyedStateKeys<TKey>)table).Keys.ToList())
        {
            CurrentKey = key;
            action(key);
        }

        CurrentKey = previous;
        _noCurrentKey = hadNoKey;
    }

    /// <summary>
    /// Folds the reducing state <paramref name="descriptor"/> names of every key in <paramref name="sources"/>
    /// into <paramref name="target"/>'s and removes theirs (windows that merged); keys without a value are skipped.
    /// </summary>
    internal void MergeReducingState<T>(ReducingStateDescriptor<T> descriptor, IEnumerable<TKey> sources, TKey target)
    {
        if (descriptor.TtlConfig is not null)
        {
            throw new NotSupportedException($"{_owner}: state '{descriptor.Name}' has a time-to-live; merging it (windows that merge) is not supported.");
        }

        GetReducingState(descriptor);
        var entries = ((KeyedStateTable<TKey, T>)_tables[Stored(descriptor.Name)]).ByKey;
        var has = entries.TryGetValue(target, out var merged);
        foreach (var source in sources)
        {
            if (!EqualityComparer<TKey>.Default.Equals(source, target) && entries.Remove(source, out var value))
            {
                merged = has ? descriptor.Reduce(merged!, value) : value;
                has = true;
            }
        }

        if (has)
        {
            entries[target] = merged!;
        }
    }

    /// <summary>How many keys hold an entry, per state (the runtime's own and scoped states included), by stored name.</summary>
    internal IReadOnlyDictionary<string, long> EntryCounts() => _tables.ToDictionary(t => t.Key, t => t.Value.EntryCount, StringComparer.Ordinal);

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

    /// <summary>
    /// Where a state is stored in snapshots: state with time-to-live under its own name, because its entries
    /// carry timestamps — so a restore can tell one format from the other instead of misreading it.
    /// </summary>
    private static string StorageName(StateDescriptor descriptor) => descriptor.TtlConfig is null ? descriptor.Name : descriptor.Name + TtlSuffix;

    private const string TtlSuffix = " (with time-to-live)";

    private string PlainName(StateDescriptor descriptor)
    {
        if (_unclaimed.ContainsKey(Stored(descriptor.Name + TtlSuffix)))
        {
            throw new InvalidOperationException($"{_owner}: state '{descriptor.Name}' was checkpointed with a time-to-live and is now requested without one; keep its StateTtlConfig, or give the state a new name.");
        }

        return descriptor.Name;
    }

    private TtlPolicy Policy(StateTtlConfig config) => new(config, () => _clock);

    /// <summary>
    /// The table of a state with time-to-live: <paramref name="keep"/> drops what expired (false: the whole
    /// entry) — in full snapshots when configured, and a few keys per access for incremental cleanup.
    /// </summary>
    private KeyedStateTable<TKey, TState> TtlTable<TState>(StateDescriptor descriptor, ITypeSerializer<TState> serializer, TtlPolicy ttl, Func<TState, bool> keep)
    {
        if (_unclaimed.ContainsKey(Stored(descriptor.Name)))
        {
            throw new InvalidOperationException($"{_owner}: state '{descriptor.Name}' was checkpointed without a time-to-live and is now requested with one; enabling it on existing state is not supported (as in Flink) — give the state a new name.");
        }

        var name = StorageName(descriptor);
        var isNew = !_tables.ContainsKey(Stored(name));
        var table = Table(name, serializer);
        if (isNew)
        {
            if (ttl.Config.CleanupInFullSnapshot)
            {
                table.KeepInSnapshot = keep;
            }

            if (ttl.Config.IncrementalCleanupSize > 0)
            {
                _incrementalCleanups.Add(new TtlIncrementalCleanup<TKey>(ttl.Config.IncrementalCleanupSize, () => [.. table.ByKey.Keys], key =>
                {
                    if (table.ByKey.TryGetValue(key, out var state) && !keep(state))
                    {
                        table.ByKey.Remove(key);
                    }
                }));
                _cleanupForEveryRecord |= ttl.Config.RunCleanupForEveryRecord;
            }
        }

        return table;
    }

    private KeyedStateTable<TKey, TState> Table<TState>(string name, ITypeSerializer<TState> serializer) =>
        Table<TState>(name, serializer.Serialize, serializer.Deserialize);

    /// <summary>
    /// A state table of the runtime's own (timers, window contents): snapshotted and moved by key
    /// group like user state, restored from the checkpoint when it holds one under that name.
    /// </summary>
    internal KeyedStateTable<TKey, TState> Table<TState>(string name, Action<TState, BinaryWriter> write, Func<BinaryReader, TState> read)
    {
        name = Stored(name);
        if (_tables.TryGetValue(name, out var existing))
        {
            return existing as KeyedStateTable<TKey, TState>
                ?? throw new InvalidOperationException($"{_owner}: state '{name}' was registered before with another kind or type.");
        }

        var table = new KeyedStateTable<TKey, TState>(Range, _keySerializer, _keyGroupOf, write, read);
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
    /// <summary>The clock state time-to-live is measured on (the job's).</summary>
    void UseClock(TimeProvider clock);

    void Snapshot(BinaryWriter writer);

    void Restore(BinaryReader reader);
}
