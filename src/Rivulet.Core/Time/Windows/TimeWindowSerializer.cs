using Rivulet.Core.State.Serialization;

namespace Rivulet.Core.Time.Windows;

/// <summary>Writes a window as its two bounds.</summary>
internal sealed class TimeWindowSerializer : ITypeSerializer<TimeWindow>
{
    public static readonly TimeWindowSerializer Instance = new();

    public void Serialize(TimeWindow value, BinaryWriter writer)
    {
        writer.Write(value.Start);
        writer.Write(value.End);
    }

    public TimeWindow Deserialize(BinaryReader reader)
    {
        var start = reader.ReadInt64();
        return new TimeWindow(start, reader.ReadInt64());
    }
}
