namespace Rivulet.Core.State.Serialization;

internal sealed class Int32Serializer : ITypeSerializer<int>
{
    public void Serialize(int value, BinaryWriter writer) => writer.Write(value);

    public int Deserialize(BinaryReader reader) => reader.ReadInt32();
}

internal sealed class Int64Serializer : ITypeSerializer<long>
{
    public void Serialize(long value, BinaryWriter writer) => writer.Write(value);

    public long Deserialize(BinaryReader reader) => reader.ReadInt64();
}

internal sealed class DoubleSerializer : ITypeSerializer<double>
{
    public void Serialize(double value, BinaryWriter writer) => writer.Write(value);

    public double Deserialize(BinaryReader reader) => reader.ReadDouble();
}

internal sealed class BooleanSerializer : ITypeSerializer<bool>
{
    public void Serialize(bool value, BinaryWriter writer) => writer.Write(value);

    public bool Deserialize(BinaryReader reader) => reader.ReadBoolean();
}

internal sealed class StringSerializer : ITypeSerializer<string>
{
    public void Serialize(string value, BinaryWriter writer)
    {
        writer.Write(value is not null);
        if (value is not null)
        {
            writer.Write(value);
        }
    }

    public string Deserialize(BinaryReader reader) => reader.ReadBoolean() ? reader.ReadString() : null!;
}

internal sealed class ByteArraySerializer : ITypeSerializer<byte[]>
{
    public void Serialize(byte[] value, BinaryWriter writer)
    {
        writer.Write(value is null ? -1 : value.Length);
        if (value is not null)
        {
            writer.Write(value);
        }
    }

    public byte[] Deserialize(BinaryReader reader)
    {
        var length = reader.ReadInt32();
        return length < 0 ? null! : reader.ReadExactly(length);
    }
}

/// <summary>A nullable value: a presence flag, then the value.</summary>
internal sealed class NullableSerializer<T>(ITypeSerializer<T> values) : ITypeSerializer<T?>
    where T : struct
{
    public void Serialize(T? value, BinaryWriter writer)
    {
        writer.Write(value.HasValue);
        if (value is { } present)
        {
            values.Serialize(present, writer);
        }
    }

    public T? Deserialize(BinaryReader reader) => reader.ReadBoolean() ? values.Deserialize(reader) : null;
}
