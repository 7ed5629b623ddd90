namespace Rivulet.Core.State;

/// <summary>
/// The read-only view of a broadcast state (Flink's <c>ReadOnlyBroadcastState</c>), as the
/// non-broadcast side of a broadcast connection sees it: every subtask holds the same map, and only
/// the broadcast side may change it, so all copies stay alike.
/// </summary>
public interface IReadOnlyBroadcastState<TKey, TValue>
    where TKey : notnull
{
    /// <summary>Looks <paramref name="key"/> up.</summary>
    /// <returns>True, with the value in <paramref name="value"/>, when present; otherwise false and <c>default</c>.</returns>
    bool TryGet(TKey key, out TValue value);

    /// <summary>True when the map holds <paramref name="key"/>.</summary>
    bool Contains(TKey key);

    /// <summary>The entries, in no particular order; not a copy, so do not change the state while enumerating it.</summary>
    IEnumerable<KeyValuePair<TKey, TValue>> Entries();
}

/// <summary>
/// A broadcast state as the broadcast side sees it (Flink's <c>BroadcastState</c>): a map, the same on
/// every subtask, changed only by broadcast elements — which every subtask receives and must apply
/// alike (no randomness, no reading of other state that differs per subtask).
/// </summary>
public interface IBroadcastState<TKey, TValue> : IReadOnlyBroadcastState<TKey, TValue>
    where TKey : notnull
{
    /// <summary>Sets the value of <paramref name="key"/>, replacing any earlier one.</summary>
    void Put(TKey key, TValue value);

    /// <summary>Removes <paramref name="key"/>; returns whether it was present.</summary>
    bool Remove(TKey key);

    /// <summary>Removes every entry.</summary>
    void Clear();
}
