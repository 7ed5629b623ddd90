namespace Rivulet.Core.State;

/// <summary>One value per key (keyed state) — Flink's <c>ValueState</c>.</summary>
public interface IValueState<T>
{
    /// <summary>The current key's value, or the descriptor's default when none was set.</summary>
    T Value { get; set; }

    /// <summary>Removes the current key's value; <see cref="Value"/> then returns the descriptor's default.</summary>
    void Clear();
}

/// <summary>A list per key, or an operator's list state.</summary>
public interface IListState<T>
{
    /// <summary>The list's elements (the current key's, for keyed state), empty when there are none; not a copy, so do not change the state while enumerating it.</summary>
    IEnumerable<T> Get();

    /// <summary>Appends <paramref name="value"/> to the list.</summary>
    void Add(T value);

    /// <summary>Appends the elements of <paramref name="values"/>, in order.</summary>
    void AddAll(IEnumerable<T> values);

    /// <summary>Replaces the whole list.</summary>
    void Update(IEnumerable<T> values);

    /// <summary>Empties the list (for keyed state, the current key's).</summary>
    void Clear();
}

/// <summary>A map per key — Flink's <c>MapState</c>.</summary>
public interface IMapState<TKey, TValue>
    where TKey : notnull
{
    /// <summary>Looks <paramref name="key"/> up in the current key's map.</summary>
    /// <returns>True, with the value in <paramref name="value"/>, when present; otherwise false and <c>default</c>.</returns>
    bool TryGet(TKey key, out TValue value);

    /// <summary>Sets the value of <paramref name="key"/>, replacing any earlier one.</summary>
    void Put(TKey key, TValue value);

    /// <summary>Removes <paramref name="key"/>; returns whether it was present.</summary>
    bool Remove(TKey key);

    /// <summary>True when the current key's map holds <paramref name="key"/>.</summary>
    bool Contains(TKey key);

    /// <summary>The current key's entries, in no particular order, empty when there are none; not a copy, so do not change the map while enumerating it.</summary>
    IEnumerable<KeyValuePair<TKey, TValue>> Entries();

    /// <summary>Removes the current key's whole map.</summary>
    void Clear();
}

/// <summary>A value per key folded with a reduce function on every add — Flink's <c>ReducingState</c>.</summary>
public interface IReducingState<T>
{
    /// <summary>The reduced value, or default when nothing was added.</summary>
    T? Get();

    /// <summary>Folds <paramref name="value"/> into the current key's value with the descriptor's reduce function; the first value is stored as it is.</summary>
    void Add(T value);

    /// <summary>Removes the current key's value; <see cref="Get"/> then returns default.</summary>
    void Clear();
}
