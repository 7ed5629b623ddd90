using Rivulet.Core.State.Serialization;

namespace Rivulet.Core.State;

/// <summary>
/// One named keyed state of one subtask: a single dictionary over all the subtask's keys.
/// Snapshots are written per key group (so state can move between subtasks by key group);
/// the grouping is done once per snapshot rather than kept per access, because a dictionary
/// per key group made every state access two dependent lookups deep and cost the keyed
/// operator a third of its speed (engine benchmark).
/// </summary>
internal sealed class KeyedStateTable<TKey, TState>(
    KeyGroupRange range,
    ITypeSerializer<TKey> keySerializer,
    Func<TKey, int> keyGroupOf,
    Action<TState, BinaryWriter> writeState,
    Func<BinaryReader, TState> readState)
    : IKeyedStateTable, IKeyedStateKeys<TKey>
    where TKey : notnull
{
    /// <summary>The state of every key this subtask holds.</summary>
    public Dictionary<TKey, TState> ByKey { get; } = [];

    public long EntryCount => ByKey.Count;

    public IEnumerable<TKey> Keys => ByKey.Keys;

    /// <summary>For state with time-to-live cleaned up in full snapshots: false drops the entry from snapshots (it may trim the entry too).</summary>
    public Func<TState, bool>? KeepInSnapshot { get; set; }

    public IKeyGroupedEntries GroupForSnapshot()
    {
        var groups = new List<KeyValuePair<TKey, TState>>?[range.Count];
        foreach (var entry in ByKey)
        {
            if (KeepInSnapshot is { } keep && !keep(entry.Value))
            {
                continue;
            }

            (groups[keyGroupOf(entry.Key) - range.Start] ??= []).Add(entry);
        }

        return new GroupedEntries(range, keySerializer, writeState, groups);
    }

    public void ReadGroup(int keyGroup, BinaryReader reader)
    {
        if (!range.Contains(keyGroup))
        {
            throw new InvalidOperationException($"Key group {keyGroup} is outside this subtask's key groups {range.Start}-{range.End}.");
        }

        var count = reader.ReadInt32();
        for (var i = 0; i < count; i++)
        {
            var key = keySerializer.Deserialize(reader);
            ByKey[key] = readState(reader);
        }
    }

    private sealed class GroupedEntries(
        KeyGroupRange range,
        ITypeSerializer<TKey> keySerializer,
        Action<TState, BinaryWriter> writeState,
        List<KeyValuePair<TKey, TState>>?[] groups) : IKeyGroupedEntries
    {
        public void WriteGroup(int keyGroup, BinaryWriter writer)
        {
            var group = groups[keyGroup - range.Start];
            writer.Write(group?.Count ?? 0);
            if (group is null)
            {
                return;
            }

            foreach (var (key, state) in group)
            {
                keySerializer.Serialize(key, writer);
                writeState(state, writer);
            }
        }
    }
}

/// <summary>The keys that hold an entry in a state table.</summary>
internal interface IKeyedStateKeys<out TKey>
{
    IEnumerable<TKey> Keys { get; }
}

/// <summary>The type-erased face of a keyed state table, for snapshots and restores.</summary>
internal interface IKeyedStateTable
{
    /// <summary>How many keys hold an entry.</summary>
    long EntryCount { get; }

    /// <summary>Sorts the entries by key group (one pass), for writing a snapshot group by group.</summary>
    IKeyGroupedEntries GroupForSnapshot();

    void ReadGroup(int keyGroup, BinaryReader reader);
}

/// <summary>A state table's entries sorted by key group at snapshot time.</summary>
internal interface IKeyGroupedEntries
{
    void WriteGroup(int keyGroup, BinaryWriter writer);
}
