using Rivulet.Core.State.Serialization;
using Rivulet.Core.Time.Windows.Evictors;

namespace Rivulet.Core.Runtime.Operators.Windowing;

/// <summary>
/// The contents of a window with an evictor: every element with its timestamp, in arrival order —
/// the evictor needs them all at each firing, so nothing is pre-aggregated (the window's own
/// contents, <paramref name="inner"/>, are folded from what is left when it fires).
/// </summary>
internal sealed class EvictingWindowContents<TIn, TAcc>(WindowContents<TIn, TAcc> inner) : WindowContents<TIn, List<TimestampedValue<TIn>>>
{
    public WindowContents<TIn, TAcc> Inner => inner;

    public override object? UserFunction => inner.UserFunction;

    public override List<TimestampedValue<TIn>> Add(List<TimestampedValue<TIn>> contents, bool exists, TIn value, long timestamp)
    {
        var list = exists ? contents : [];
        list.Add(new TimestampedValue<TIn>(value, timestamp));
        return list;
    }

    public override List<TimestampedValue<TIn>> Merge(List<TimestampedValue<TIn>> a, List<TimestampedValue<TIn>> b)
    {
        a.AddRange(b);
        return a;
    }

    public override bool IsEmpty(List<TimestampedValue<TIn>> contents) => contents.Count == 0;

    public override ITypeSerializer<List<TimestampedValue<TIn>>> CreateSerializer(string owner) =>
        new ListSerializer<TimestampedValue<TIn>>(new TimestampedValueSerializer<TIn>(TypeSerializers.For<TIn>(owner)));

    /// <summary>The window's contents as its function expects them, from the elements the evictor left; false when it left none.</summary>
    public bool TryFold(List<TimestampedValue<TIn>> elements, out TAcc contents)
    {
        contents = default!;
        var exists = false;
        foreach (var element in elements)
        {
            contents = inner.Add(contents, exists, element.Value, element.Timestamp);
            exists = true;
        }

        return exists;
    }

    private sealed class TimestampedValueSerializer<T>(ITypeSerializer<T> values) : ITypeSerializer<TimestampedValue<T>>
    {
        public void Serialize(TimestampedValue<T> value, BinaryWriter writer)
        {
            writer.Write(value.Timestamp);
            values.Serialize(value.Value, writer);
        }

        public TimestampedValue<T> Deserialize(BinaryReader reader)
        {
            var timestamp = reader.ReadInt64();
            return new TimestampedValue<T>(values.Deserialize(reader), timestamp);
        }
    }
}
