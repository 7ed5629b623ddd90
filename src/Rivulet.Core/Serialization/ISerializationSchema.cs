namespace Rivulet.Core.Serialization;

/// <summary>Turns an element into a record value (Flink's <c>SerializationSchema</c>); the record has no key.</summary>
public interface ISerializationSchema<in T>
{
    byte[] Serialize(T element);
}
