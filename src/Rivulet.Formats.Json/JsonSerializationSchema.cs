using System.Text.Json;
using Rivulet.Core.Serialization;

namespace Rivulet.Formats.Json;

/// <summary>Elements written as JSON record values (System.Text.Json).</summary>
public sealed class JsonSerializationSchema<T>(JsonSerializerOptions? options = null) : ISerializationSchema<T>
{
    private readonly JsonSerializerOptions _options = options ?? JsonSerializerOptions.Web;

    /// <inheritdoc />
    public byte[] Serialize(T element) => JsonSerializer.SerializeToUtf8Bytes(element, _options);
}
