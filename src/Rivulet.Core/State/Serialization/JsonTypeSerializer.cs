using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Rivulet.Core.State.Serialization;

/// <summary>Plain classes and records, as System.Text.Json documents (length-prefixed UTF-8).</summary>
internal sealed class JsonTypeSerializer<T> : ITypeSerializer<T>
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.General) { IncludeFields = true, TypeInfoResolver = new DefaultJsonTypeInfoResolver() };

    /// <summary>
    /// The serializer, once sure that <typeparamref name="T"/> comes back whole from a checkpoint:
    /// a member JSON writes but cannot set again (a private setter, a get-only property without a
    /// constructor parameter of its name) would be reset silently after every restore.
    /// </summary>
    public static JsonTypeSerializer<T> Create(string owner)
    {
        var type = typeof(T);
        JsonTypeInfo info;
        try
        {
            info = Options.GetTypeInfo(type);
        }
        catch (Exception e) when (e is NotSupportedException or InvalidOperationException or ArgumentException)
        {
            throw new InvalidOperationException($"{owner}: state of type {type.FullName} cannot be serialized as JSON: {e.Message}. Pass an ITypeSerializer<T>.", e);
        }

        if (info.Kind == JsonTypeInfoKind.Object)
        {
            var lost = info.Properties.Where(p => p.Get is not null && p.Set is null && p.AssociatedParameter is null).Select(p => p.Name).ToList();
            if (lost.Count > 0)
            {
                throw new InvalidOperationException(
                    $"{owner}: state of type {type.FullName} would lose {string.Join(", ", lost)} in every checkpoint: JSON reads back only members " +
                    "with a public setter (or init), a non-readonly field, or a constructor parameter of the same name. Make them settable, or pass an ITypeSerializer<T>.");
            }
        }

        return new JsonTypeSerializer<T>();
    }

    public void Serialize(T value, BinaryWriter writer)
    {
        var bytes = JsonSerializer.SerializeToUtf8Bytes(value, Options);
        writer.Write(bytes.Length);
        writer.Write(bytes);
    }

    public T Deserialize(BinaryReader reader)
    {
        var length = reader.ReadInt32();
        return JsonSerializer.Deserialize<T>(reader.ReadExactly(length), Options)!;
    }
}
