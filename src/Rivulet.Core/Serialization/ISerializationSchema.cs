namespace Rivulet.Core.Serialization;

/// <summary>Turns an element into a record value (Flink's <c>SerializationSchema</c>); the record has no key.</summary>
public interface ISerializationSchema<in T>
{
    /// <summary>Turns <paramref name="element"/> into the bytes of the record value (or of its key, when used as a sink's key schema).</summary>
    byte[] Serialize(T element);
}
