namespace Rivulet.Core.State.Serialization;

/// <summary>Reads that refuse to come back short.</summary>
internal static class BinaryReaderExtensions
{
    /// <summary>Exactly <paramref name="count"/> bytes, or <see cref="EndOfStreamException"/> (BinaryReader.ReadBytes silently returns fewer at the end).</summary>
    public static byte[] ReadExactly(this BinaryReader reader, int count)
    {
        if (count < 0)
        {
            throw new InvalidDataException($"A length of {count} bytes in state data: the data is damaged.");
        }

        var bytes = reader.ReadBytes(count);
        return bytes.Length == count
            ? bytes
            : throw new EndOfStreamException($"State data ends after {bytes.Length} of {count} bytes.");
    }
}
