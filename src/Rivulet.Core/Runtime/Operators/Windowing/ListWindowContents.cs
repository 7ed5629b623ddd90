using Rivulet.Core.State.Serialization;

namespace Rivulet.Core.Runtime.Operators.Windowing;

/// <summary>Keeps every element of a window, for a process window function that needs them all.</summary>
internal sealed class ListWindowContents<T> : WindowContents<T, List<T>>
{
    public override List<T> Add(List<T> contents, bool exists, T value, long timestamp)
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

    public override ITypeSerializer<List<T>> CreateSerializer(string owner) => new ListSerializer<T>(TypeSerializers.For<T>(owner));
}
