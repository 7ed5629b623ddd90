namespace Rivulet.Core.State;

// Keyed states with time-to-live: the same contracts as the plain heap states, over entries that
// carry their last-access time. A read of an expired entry (not visible by the policy) removes it.

internal sealed class HeapTtlValueState<TKey, T>(HeapKeyedStateBackend<TKey> backend, KeyedStateTable<TKey, TtlValue<T>> table, T defaultValue, TtlPolicy ttl) : IValueState<T>
    where TKey : notnull
{
    public T Value
    {
        get
        {
            backend.CleanUpIncrementally();
            return TtlReads.TryRead(backend, table, ttl, out var value) ? value : defaultValue;
        }

        set
        {
            backend.CleanUpIncrementally();
            table.ByKey[backend.CurrentKey] = new TtlValue<T>(value, ttl.Now);
        }
    }

    public void Clear() => table.ByKey.Remove(backend.CurrentKey);
}

internal sealed class HeapTtlListState<TKey, T>(HeapKeyedStateBackend<TKey> backend, KeyedStateTable<TKey, List<TtlValue<T>>> table, TtlPolicy ttl) : IListState<T>
    where TKey : notnull
{
    public IEnumerable<T> Get()
    {
        backend.CleanUpIncrementally();
        if (!table.ByKey.TryGetValue(backend.CurrentKey, out var list))
        {
            return [];
        }

        var now = ttl.Now;
        list.RemoveAll(e => !ttl.Visible(e.LastAccess, now));
        if (list.Count == 0)
        {
            table.ByKey.Remove(backend.CurrentKey);
            return [];
        }

        if (ttl.RefreshOnRead)
        {
            for (var i = 0; i < list.Count; i++)
            {
                list[i] = list[i] with { LastAccess = now };
            }
        }

        return list.Select(e => e.Value).ToList();
    }

    public void Add(T value)
    {
        backend.CleanUpIncrementally();
        List().Add(new TtlValue<T>(value, ttl.Now));
    }

    public void AddAll(IEnumerable<T> values)
    {
        backend.CleanUpIncrementally();
        var now = ttl.Now;
        List().AddRange(values.Select(v => new TtlValue<T>(v, now)));
    }

    public void Update(IEnumerable<T> values)
    {
        backend.CleanUpIncrementally();
        var now = ttl.Now;
        table.ByKey[backend.CurrentKey] = [.. values.Select(v => new TtlValue<T>(v, now))];
    }

    public void Clear() => table.ByKey.Remove(backend.CurrentKey);

    private List<TtlValue<T>> List()
    {
        if (!table.ByKey.TryGetValue(backend.CurrentKey, out var list))
        {
            table.ByKey[backend.CurrentKey] = list = [];
        }

        return list;
    }
}

internal sealed class HeapTtlMapState<TKey, TMapKey, TValue>(
    HeapKeyedStateBackend<TKey> backend, KeyedStateTable<TKey, Dictionary<TMapKey, TtlValue<TValue>>> table, TtlPolicy ttl) : IMapState<TMapKey, TValue>
    where TKey : notnull
    where TMapKey : notnull
{
    public bool TryGet(TMapKey key, out TValue value)
    {
        backend.CleanUpIncrementally();
        value = default!;
        if (!table.ByKey.TryGetValue(backend.CurrentKey, out var map) || !map.TryGetValue(key, out var entry))
        {
            return false;
        }

        var now = ttl.Now;
        if (!ttl.Visible(entry.LastAccess, now))
        {
            Remove(map, key);
            return false;
        }

        if (ttl.RefreshOnRead)
        {
            map[key] = entry with { LastAccess = now };
        }

        value = entry.Value;
        return true;
    }

    public void Put(TMapKey key, TValue value)
    {
        backend.CleanUpIncrementally();
        if (!table.ByKey.TryGetValue(backend.CurrentKey, out var map))
        {
            table.ByKey[backend.CurrentKey] = map = [];
        }

        map[key] = new TtlValue<TValue>(value, ttl.Now);
    }

    public bool Remove(TMapKey key) => table.ByKey.TryGetValue(backend.CurrentKey, out var map) && Remove(map, key);

    public bool Contains(TMapKey key) => TryGet(key, out _);

    public IEnumerable<KeyValuePair<TMapKey, TValue>> Entries()
    {
        backend.CleanUpIncrementally();
        if (!table.ByKey.TryGetValue(backend.CurrentKey, out var map))
        {
            return [];
        }

        var now = ttl.Now;
        foreach (var expired in map.Where(e => !ttl.Visible(e.Value.LastAccess, now)).Select(e => e.Key).ToList())
        {
            map.Remove(expired);
        }

        if (ttl.RefreshOnRead)
        {
            foreach (var key in map.Keys.ToList())
            {
                map[key] = map[key] with { LastAccess = now };
            }
        }

        var entries = map.Select(e => new KeyValuePair<TMapKey, TValue>(e.Key, e.Value.Value)).ToList();
        if (map.Count == 0)
        {
            table.ByKey.Remove(backend.CurrentKey);
        }

        return entries;
    }

    public void Clear() => table.ByKey.Remove(backend.CurrentKey);

    private bool Remove(Dictionary<TMapKey, TtlValue<TValue>> map, TMapKey key)
    {
        var removed = map.Remove(key);
        if (map.Count == 0)
        {
            table.ByKey.Remove(backend.CurrentKey);
        }

        return removed;
    }
}

internal sealed class HeapTtlReducingState<TKey, T>(HeapKeyedStateBackend<TKey> backend, KeyedStateTable<TKey, TtlValue<T>> table, Func<T, T, T> reduce, TtlPolicy ttl)
    : IReducingState<T>
    where TKey : notnull
{
    public T? Get()
    {
        backend.CleanUpIncrementally();
        return TtlReads.TryRead(backend, table, ttl, out var value) ? value : default;
    }

    public void Add(T value)
    {
        backend.CleanUpIncrementally();
        var now = ttl.Now;
        table.ByKey[backend.CurrentKey] = table.ByKey.TryGetValue(backend.CurrentKey, out var current) && !ttl.Expired(current.LastAccess, now)
            ? new TtlValue<T>(reduce(current.Value, value), now)
            : new TtlValue<T>(value, now);
    }

    public void Clear() => table.ByKey.Remove(backend.CurrentKey);
}

/// <summary>Reading a single value with time-to-live: an invisible expired entry is removed, a read may restart the entry's time.</summary>
internal static class TtlReads
{
    public static bool TryRead<TKey, T>(HeapKeyedStateBackend<TKey> backend, KeyedStateTable<TKey, TtlValue<T>> table, TtlPolicy ttl, out T value)
        where TKey : notnull
    {
        value = default!;
        if (!table.ByKey.TryGetValue(backend.CurrentKey, out var entry))
        {
            return false;
        }

        var now = ttl.Now;
        if (!ttl.Visible(entry.LastAccess, now))
        {
            table.ByKey.Remove(backend.CurrentKey);
            return false;
        }

        if (ttl.RefreshOnRead)
        {
            table.ByKey[backend.CurrentKey] = entry with { LastAccess = now };
        }

        value = entry.Value;
        return true;
    }
}
