namespace Rivulet.Core.State.Serialization;

/// <summary>Writes and reads values of one type in checkpoints. Implement it for types the built-in serializers cannot handle.</summary>
public interface ITypeSerializer<T>
{
    void Serialize(T value, BinaryWriter writer);

    T Deserialize(BinaryReader reader);
}
