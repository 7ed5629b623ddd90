using System.Buffers.Binary;
using System.Text;

namespace Rivulet.Connectors.Kafka.Protocol;

/// <summary>Big-endian decoding of Kafka's primitive types from one response.</summary>
internal sealed class KafkaWireReader(byte[] buffer)
{
    private int _position;

    /// <summary>How many bytes have been read.</summary>
    public int Position => _position;

    public short Int16()
    {
        var value = BinaryPrimitives.ReadInt16BigEndian(Take(2));
        return value;
    }

    public int Int32() => BinaryPrimitives.ReadInt32BigEndian(Take(4));

    public long Int64() => BinaryPrimitives.ReadInt64BigEndian(Take(8));

    public string? NullableString()
    {
        var length = Int16();
        return length < 0 ? null : Encoding.UTF8.GetString(Take(length));
    }

    public string String() => NullableString() ?? throw new InvalidDataException("Kafka response: unexpected null string.");

    public byte[]? NullableBytes()
    {
        var length = Int32();
        return length < 0 ? null : Take(length).ToArray();
    }

    private ReadOnlySpan<byte> Take(int count)
    {
        if (_position + count > buffer.Length)
        {
            throw new InvalidDataException($"Kafka response truncated: needed {count} more bytes at position {_position} of {buffer.Length}.");
        }

        var span = buffer.AsSpan(_position, count);
        _position += count;
        return span;
    }
}
