namespace Rivulet.Core.State;

internal sealed class HeapValueState<TKey, T>(HeapKeyedStateBackend<TKey> backend, KeyedStateTable<TKey, T> table, T defaultValue) : IValueState<T>
    where TKey : notnull
{
    public T Value
    {
        get => table.ByKey.TryGetValue(backend.CurrentKey, out var value) ? value : defaultValue;
        set => table.ByKey[backend.CurrentKey] = value;
    }

    public void Clear() => table.ByKey.Remove(backend.CurrentKey);
}

internal sealed class HeapListState<TKey, T>(HeapKeyedStateBackend<TKey> backend, KeyedStateTable<TKey, List<T>> table) : IListState<T>
    where TKey : notnull
{
    public IEnumerable<T> Get() => table.ByKey.TryGetValue(backend.CurrentKey, out var list) ? list : [];

    public void Add(T value) => List().Add(value);

    public void AddAll(IEnumerable<T> values) => List().AddRange(values);

    public void Update(IEnumerable<T> values) => table.ByKey[backend.CurrentKey] = [.. values];

    public void Clear() => table.ByKey.Remove(backend.CurrentKey);

    private List<T> List()
    {
        var entries = table.ByKey;
        if (!entries.TryGetValue(backend.CurrentKey, out var list))
        {
            entries[backend.CurrentKey] = list = [];
        }

        return list;
    }
}

internal sealed class HeapMapState<TKey, TMapKey, TValue>(HeapKeyedStateBackend<TKey> backend, KeyedStateTable<TKey, Dictionary<TMapKey, TValue>> table)
    : IMapState<TMapKey, TValue>
    where TKey : notnull
    where TMapKey : notnull
{
    public bool TryGet(TMapKey key, out TValue value)
    {
        if (Map(create: false) is { } map && map.TryGetValue(key, out value!))
        {
            return true;
        }

        value = default!;
        return false;
    }

    public void Put(TMapKey key, TValue value) => Map(create: true)![key] = value;

    public bool Remove(TMapKey key)
    {
        if (Map(create: false) is not { } map || !map.Remove(key))
        {
            return false;
        }

        // An emptied map leaves no entry behind: keys that come and go must not pile up.
        if (map.Count == 0)
        {
            table.ByKey.Remove(backend.CurrentKey);
        }

        return true;
    }

    public bool Contains(TMapKey key) => Map(create: false)?.ContainsKey(key) ?? false;

    public IEnumerable<KeyValuePair<TMapKey, TValue>> Entries() => Map(create: false) ?? [];

    public void Clear() => table.ByKey.Remove(backend.CurrentKey);

    private Dictionary<TMapKey, TValue>? Map(bool create)
    {
        var entries = table.ByKey;
        if (!entries.TryGetValue(backend.CurrentKey, out var map) && create)
        {
            entries[backend.CurrentKey] = map = [];
        }

        return map;
    }
}

internal sealed class HeapReducingState<TKey, T>(HeapKeyedStateBackend<TKey> backend, KeyedStateTable<TKey, T> table, Func<T, T, T> reduce) : IReducingState<T>
    where TKey : notnull
{
    public T? Get() => table.ByKey.TryGetValue(backend.CurrentKey, out var value) ? value : default;

    public void Add(T value)
    {
        var entries = table.ByKey;
        entries[backend.CurrentKey] = entries.TryGetValue(backend.CurrentKey, out var current) ? reduce(current, value) : value;
    }

    public void Clear() => table.ByKey.Remove(backend.CurrentKey);
}
