using System.Buffers.Binary;
using System.Text;

namespace Rivulet.Connectors.Kafka.Protocol;

/// <summary>Big-endian encoding of Kafka's primitive types (non-flexible versions only).</summary>
internal sealed class KafkaWireWriter
{
    private readonly MemoryStream _buffer = new();

    public KafkaWireWriter Int8(sbyte value)
    {
        _buffer.WriteByte((byte)value);
        return this;
    }

    public KafkaWireWriter Int16(short value)
    {
        Span<byte> bytes = stackalloc byte[2];
        BinaryPrimitives.WriteInt16BigEndian(bytes, value);
        _buffer.Write(bytes);
        return this;
    }

    public KafkaWireWriter Int32(int value)
    {
        Span<byte> bytes = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(bytes, value);
        _buffer.Write(bytes);
        return this;
    }

    public KafkaWireWriter Int64(long value)
    {
        Span<byte> bytes = stackalloc byte[8];
        BinaryPrimitives.WriteInt64BigEndian(bytes, value);
        _buffer.Write(bytes);
        return this;
    }

    public KafkaWireWriter Boolean(bool value) => Int8(value ? (sbyte)1 : (sbyte)0);

    /// <summary>int16 length + UTF-8; null as length -1.</summary>
    public KafkaWireWriter String(string? value)
    {
        if (value is null)
        {
            return Int16(-1);
        }

        var bytes = Encoding.UTF8.GetBytes(value);
        Int16(checked((short)bytes.Length));
        _buffer.Write(bytes);
        return this;
    }

    /// <summary>int32 length + bytes.</summary>
    public KafkaWireWriter Bytes(byte[] value)
    {
        Int32(value.Length);
        _buffer.Write(value);
        return this;
    }

    public byte[] ToArray() => _buffer.ToArray();
}
