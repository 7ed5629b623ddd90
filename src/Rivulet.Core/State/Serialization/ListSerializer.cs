namespace Rivulet.Core.State.Serialization;

/// <summary>A list as its count, then each element with <paramref name="element"/>.</summary>
internal sealed class ListSerializer<T>(ITypeSerializer<T> element) : ITypeSerializer<List<T>>
{
    public void Serialize(List<T> value, BinaryWriter writer)
    {
        writer.Write(value.Count);
        foreach (var item in value)
        {
            element.Serialize(item, writer);
        }
    }

    public List<T> Deserialize(BinaryReader reader)
    {
        var count = reader.ReadInt32();
        var list = new List<T>(count);
        for (var i = 0; i < count; i++)
        {
            list.Add(element.Deserialize(reader));
        }

        return list;
    }
}
