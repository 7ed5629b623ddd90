using Rivulet.Core.State.Serialization;

namespace Rivulet.Core.Runtime.IO;

/// <summary>
/// How what travels on a channel — record batches and stream events — is written to and read from
/// bytes, for channels between processes. One codec per edge: its records' type decides the
/// batch format (the type's state serializer: binary for primitives and strings, JSON otherwise).
/// </summary>
internal abstract class ChannelCodec
{
    private enum Kind : byte
    {
        Batch = 1,
        Barrier = 2,
        Watermark = 3,
        Idleness = 4,
        EndOfInput = 5,
    }

    public void Write(object item, BinaryWriter writer)
    {
        switch (item)
        {
            case CheckpointBarrier barrier:
                writer.Write((byte)Kind.Barrier);
                writer.Write(barrier.CheckpointId);
                writer.Write(barrier.TimestampMs);
                writer.Write(barrier.Directory);
                break;
            case WatermarkEvent watermark:
                writer.Write((byte)Kind.Watermark);
                writer.Write(watermark.WatermarkMs);
                break;
            case IdlenessEvent idleness:
                writer.Write((byte)Kind.Idleness);
                writer.Write(idleness.Idle);
                break;
            case EndOfInputEvent:
                writer.Write((byte)Kind.EndOfInput);
                break;
            default:
                writer.Write((byte)Kind.Batch);
                WriteBatch(item, writer);
                break;
        }
    }

    /// <exception cref="InvalidDataException">The bytes are not a channel item (a peer of another version, or corruption).</exception>
    public object Read(BinaryReader reader)
    {
        var kind = (Kind)reader.ReadByte();
        return kind switch
        {
            Kind.Batch => ReadBatch(reader),
            Kind.Barrier => new CheckpointBarrier(reader.ReadInt64(), reader.ReadInt64(), reader.ReadString()),
            Kind.Watermark => new WatermarkEvent(reader.ReadInt64()),
            Kind.Idleness => new IdlenessEvent(reader.ReadBoolean()),
            Kind.EndOfInput => EndOfInputEvent.Instance,
            _ => throw new InvalidDataException($"Unknown channel item kind {(byte)kind}."),
        };
    }

    protected abstract void WriteBatch(object batch, BinaryWriter writer);

    protected abstract object ReadBatch(BinaryReader reader);
}

/// <summary>Batches of <typeparamref name="T"/>: count, whether timestamps follow, then each value (and its timestamp).</summary>
internal sealed class ChannelCodec<T>(ITypeSerializer<T> values) : ChannelCodec
{
    protected override void WriteBatch(object batch, BinaryWriter writer)
    {
        var records = (RecordBatch<T>)batch;
        writer.Write(records.Count);
        var timestamps = records.Timestamps;
        writer.Write(timestamps is not null);
        for (var i = 0; i < records.Count; i++)
        {
            values.Serialize(records.Values[i], writer);
            if (timestamps is not null)
            {
                writer.Write(timestamps[i]);
            }
        }
    }

    protected override object ReadBatch(BinaryReader reader)
    {
        var count = reader.ReadInt32();
        var hasTimestamps = reader.ReadBoolean();
        var batch = new RecordBatch<T>(Math.Max(count, 1));
        for (var i = 0; i < count; i++)
        {
            var value = values.Deserialize(reader);
            batch.Add(value, hasTimestamps ? reader.ReadInt64() : RecordBatch<T>.NoTimestamp);
        }

        return batch;
    }
}
