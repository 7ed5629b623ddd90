namespace Rivulet.Core.State;

/// <summary>One value per key (keyed state) — Flink's <c>ValueState</c>.</summary>
public interface IValueState<T>
{
    /// <summary>The current key's value, or the descriptor's default when none was set.</summary>
    T Value { get; set; }

    void Clear();
}

/// <summary>A list per key, or an operator's list state.</summary>
public interface IListState<T>
{
    IEnumerable<T> Get();

    void Add(T value);

    void AddAll(IEnumerable<T> values);

    /// <summary>Replaces the whole list.</summary>
    void Update(IEnumerable<T> values);

    void Clear();
}

/// <summary>A map per key — Flink's <c>MapState</c>.</summary>
public interface IMapState<TKey, TValue>
    where TKey : notnull
{
    bool TryGet(TKey key, out TValue value);

    void Put(TKey key, TValue value);

    bool Remove(TKey key);

    bool Contains(TKey key);

    IEnumerable<KeyValuePair<TKey, TValue>> Entries();

    void Clear();
}

/// <summary>A value per key folded with a reduce function on every add — Flink's <c>ReducingState</c>.</summary>
public interface IReducingState<T>
{
    /// <summary>The reduced value, or default when nothing was added.</summary>
    T? Get();

    void Add(T value);

    void Clear();
}
