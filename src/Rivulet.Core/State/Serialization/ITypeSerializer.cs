namespace Rivulet.Core.State.Serialization;

/// <summary>Writes and reads values of one type in checkpoints. Implement it for types the built-in serializers cannot handle.</summary>
public interface ITypeSerializer<T>
{
    /// <summary>
    /// Writes <paramref name="value"/> (null too, for a reference type) so that <see cref="Deserialize"/> reads exactly it back.
    /// For a <c>KeyBy</c> key type equal keys must give equal bytes: they decide the key's key group.
    /// </summary>
    void Serialize(T value, BinaryWriter writer);

    /// <summary>Reads back one value written by <see cref="Serialize"/>, consuming exactly its bytes.</summary>
    T Deserialize(BinaryReader reader);
}
