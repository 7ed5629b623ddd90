using System.Text.Json;

namespace Rivulet.Core.State.Serialization;

/// <summary>Plain classes and records, as System.Text.Json documents (length-prefixed UTF-8).</summary>
internal sealed class JsonTypeSerializer<T> : ITypeSerializer<T>
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.General) { IncludeFields = true };

    public void Serialize(T value, BinaryWriter writer)
    {
        var bytes = JsonSerializer.SerializeToUtf8Bytes(value, Options);
        writer.Write(bytes.Length);
        writer.Write(bytes);
    }

    public T Deserialize(BinaryReader reader)
    {
        var length = reader.ReadInt32();
        return JsonSerializer.Deserialize<T>(reader.ReadBytes(length), Options)!;
    }
}
