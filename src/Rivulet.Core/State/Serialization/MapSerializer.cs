namespace Rivulet.Core.State.Serialization;

/// <summary>A dictionary as its count, then each key and value.</summary>
internal sealed class MapSerializer<TKey, TValue>(ITypeSerializer<TKey> keys, ITypeSerializer<TValue> values) : ITypeSerializer<Dictionary<TKey, TValue>>
    where TKey : notnull
{
    public void Serialize(Dictionary<TKey, TValue> value, BinaryWriter writer)
    {
        writer.Write(value.Count);
        foreach (var (key, item) in value)
        {
            keys.Serialize(key, writer);
            values.Serialize(item, writer);
        }
    }

    public Dictionary<TKey, TValue> Deserialize(BinaryReader reader)
    {
        var count = reader.ReadInt32();
        var map = new Dictionary<TKey, TValue>(count);
        for (var i = 0; i < count; i++)
        {
            map[keys.Deserialize(reader)] = values.Deserialize(reader);
        }

        return map;
    }
}
