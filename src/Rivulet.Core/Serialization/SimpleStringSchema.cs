using System.Text;

namespace Rivulet.Core.Serialization;

/// <summary>Record values as UTF-8 text, both ways (Flink's <c>SimpleStringSchema</c>). A null value reads as null and is skipped.</summary>
public sealed class SimpleStringSchema : IDeserializationSchema<string>, ISerializationSchema<string>
{
    /// <inheritdoc />
    public string? Deserialize(byte[]? message) => message is null ? null : Encoding.UTF8.GetString(message);

    /// <inheritdoc />
    public byte[] Serialize(string element) => Encoding.UTF8.GetBytes(element);
}
