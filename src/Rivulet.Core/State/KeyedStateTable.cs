using Rivulet.Core.State.Serialization;

namespace Rivulet.Core.State;

/// <summary>One named keyed state of one subtask: a dictionary per key group the subtask owns.</summary>
internal sealed class KeyedStateTable<TKey, TState>(KeyGroupRange range, ITypeSerializer<TKey> keySerializer, Action<TState, BinaryWriter> writeState, Func<BinaryReader, TState> readState)
    : IKeyedStateTable
    where TKey : notnull
{
    private readonly Dictionary<TKey, TState>?[] _groups = new Dictionary<TKey, TState>?[range.Count];

    public Dictionary<TKey, TState> Group(int keyGroup) =>
        range.Contains(keyGroup)
            ? _groups[keyGroup - range.Start] ??= []
            : throw new InvalidOperationException($"Key group {keyGroup} is outside this subtask's key groups {range.Start}-{range.End}.");

    public long EntryCount => _groups.Sum(g => (long)(g?.Count ?? 0));

    /// <summary>Every key's state in every key group of this subtask (to rebuild indexes after a restore).</summary>
    public IEnumerable<KeyValuePair<TKey, TState>> Entries() => _groups.Where(g => g is not null).SelectMany(g => g!);

    public void WriteGroup(int keyGroup, BinaryWriter writer)
    {
        var group = _groups[keyGroup - range.Start];
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

    public void ReadGroup(int keyGroup, BinaryReader reader)
    {
        var count = reader.ReadInt32();
        var group = Group(keyGroup);
        for (var i = 0; i < count; i++)
        {
            var key = keySerializer.Deserialize(reader);
            group[key] = readState(reader);
        }
    }
}

/// <summary>The type-erased face of a keyed state table, for snapshots.</summary>
internal interface IKeyedStateTable
{
    void WriteGroup(int keyGroup, BinaryWriter writer);

    void ReadGroup(int keyGroup, BinaryReader reader);
}
