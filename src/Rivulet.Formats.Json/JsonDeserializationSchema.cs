using System.Text.Json;
using Rivulet.Core.Serialization;

namespace Rivulet.Formats.Json;

/// <summary>
/// Record values as JSON documents of type <typeparamref name="T"/> (System.Text.Json). A null
/// value or JSON <c>null</c> is skipped; malformed JSON throws, which fails the job with the
/// record's topic, partition and offset.
/// </summary>
public sealed class JsonDeserializationSchema<T>(JsonSerializerOptions? options = null) : IDeserializationSchema<T>
{
    private readonly JsonSerializerOptions _options = options ?? JsonSerializerOptions.Web;

    /// <inheritdoc />
    public T? Deserialize(byte[]? message) =>
        message is null ? default : JsonSerializer.Deserialize<T>(message, _options);
}
