namespace Rivulet.Cluster.Data;

/// <summary>
/// The opening of a data connection: a magic number and version (so a stray client or another
/// version fails clearly), then the channel it carries.
/// </summary>
internal static class DataConnection
{
    private const int Magic = 0x52564C54; // "RVLT"
    private const int Version = 1;

    public static void WriteHeader(BinaryWriter writer, ChannelAddress address)
    {
        writer.Write(Magic);
        writer.Write(Version);
        address.Write(writer);
        writer.Flush();
    }

    /// <exception cref="InvalidDataException">The peer is not a Rivulet data connection of this version.</exception>
    public static ChannelAddress ReadHeader(BinaryReader reader)
    {
        var magic = reader.ReadInt32();
        var version = reader.ReadInt32();
        if (magic != Magic || version != Version)
        {
            throw new InvalidDataException($"Not a Rivulet data connection of version {Version} (magic {magic:x8}, version {version}).");
        }

        return ChannelAddress.Read(reader);
    }
}
