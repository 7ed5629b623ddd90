using Rivulet.Core.State.Serialization;

namespace Rivulet.Core.Runtime.Operators.Windowing;

/// <summary>Keeps every element of a window, for a process window function that needs them all.</summary>
internal sealed class ListWindowContents<T> : WindowContents<T, List<T>>
{
    public override List<T> Add(List<T> contents, bool exists, T value)
    {
        var list = exists ? contents : [];
        list.Add(value);
        return list;
    }

    public override List<T> Merge(List<T> a, List<T> b)
    {
        a.AddRange(b);
        return a;
    }

    public override ITypeSerializer<List<T>> CreateSerializer(string owner) => new ListSerializer(TypeSerializers.For<T>(owner));

    private sealed class ListSerializer(ITypeSerializer<T> element) : ITypeSerializer<List<T>>
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
}
