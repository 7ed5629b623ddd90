using Rivulet.Benchmarks.Engine;
using Rivulet.Core.State.Serialization;

namespace Rivulet.Benchmarks.Cluster;

/// <summary>A reading as 12 bytes (key, value): what a user registers for a record struct that crosses processes.</summary>
internal sealed class ReadingSerializer : ITypeSerializer<Reading>
{
    public void Serialize(Reading value, BinaryWriter writer)
    {
        writer.Write(value.Key);
        writer.Write(value.Value);
    }

    public Reading Deserialize(BinaryReader reader)
    {
        var key = reader.ReadInt32();
        return new Reading(key, reader.ReadInt64());
    }
}
