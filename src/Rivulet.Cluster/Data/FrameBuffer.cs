using System.Diagnostics.CodeAnalysis;
using Rivulet.Core.Runtime.IO;

namespace Rivulet.Cluster.Data;

/// <summary>
/// The receiving side's memory for one data connection's frames: a frame is read into it whole and
/// decoded from there, with one reader reused for every frame (grown when a frame is larger).
/// </summary>
internal sealed class FrameBuffer
{
    private byte[] _bytes;
    private MemoryStream _stream;
    private BinaryReader _reader;

    public FrameBuffer(int initialBytes) => Grow(initialBytes);

    /// <summary>Reads a frame of <paramref name="length"/> bytes from <paramref name="source"/> and decodes its item.</summary>
    /// <exception cref="InvalidDataException">The item did not take exactly the frame: sender and receiver disagree on the record format.</exception>
    public object Decode(Stream source, int length, ChannelCodec codec)
    {
        if (length > _bytes.Length)
        {
            Grow(Math.Max(length, _bytes.Length * 2));
        }

        source.ReadExactly(_bytes, 0, length);
        _stream.Position = 0;
        var item = codec.Read(_reader);
        if (_stream.Position != length)
        {
            throw new InvalidDataException(
                $"A frame of {length} bytes held an item of {_stream.Position} bytes: the sending TaskManager writes these records in another format " +
                "(another version of the job, or another serializer registered for the record type).");
        }

        return item;
    }

    [MemberNotNull(nameof(_bytes), nameof(_stream), nameof(_reader))]
    private void Grow(int bytes)
    {
        _bytes = new byte[bytes];
        _stream = new MemoryStream(_bytes, 0, bytes, writable: false, publiclyVisible: true);
        _reader = new BinaryReader(_stream);
    }
}
