namespace Rivulet.Cluster.Data;

/// <summary>
/// One channel between two subtasks of one attempt: the edge is the <see cref="Edge"/>th input of
/// vertex <see cref="Vertex"/>'s head (the same on every process, whose job graphs have the same
/// fingerprint), from subtask <see cref="Producer"/> of the upstream vertex to subtask
/// <see cref="Consumer"/> of this one.
/// </summary>
internal readonly record struct ChannelAddress(int Attempt, int Vertex, int Edge, int Producer, int Consumer)
{
    public void Write(BinaryWriter writer)
    {
        writer.Write(Attempt);
        writer.Write(Vertex);
        writer.Write(Edge);
        writer.Write(Producer);
        writer.Write(Consumer);
    }

    public static ChannelAddress Read(BinaryReader reader) =>
        new(reader.ReadInt32(), reader.ReadInt32(), reader.ReadInt32(), reader.ReadInt32(), reader.ReadInt32());

    public override string ToString() => $"attempt {Attempt}, vertex {Vertex} input {Edge}, subtask {Producer + 1} -> {Consumer + 1}";
}
