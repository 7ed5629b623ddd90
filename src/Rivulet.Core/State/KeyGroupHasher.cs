using System.Buffers.Binary;
using Rivulet.Core.State.Serialization;

namespace Rivulet.Core.State;

/// <summary>
/// Maps a key to its key group with a hash that is the same in every process (string.GetHashCode
/// is randomized per process, which would send a key to a different subtask after a restore).
/// </summary>
internal sealed class KeyGroupHasher<TKey>(ITypeSerializer<TKey> serializer, int maxParallelism)
{
    public int KeyGroupOf(TKey key) => (int)((uint)Murmur(key) % (uint)maxParallelism);

    private int Murmur(TKey key)
    {
        switch (key)
        {
            case string s:
                return Mix(StableStringHash(s));
            case int i:
                return Mix(i);
            case long l:
                return Mix((int)l ^ (int)(l >> 32));
            case null:
                throw new InvalidOperationException("KeyBy produced a null key; keys must not be null.");
            default:
                using (var buffer = new MemoryStream())
                using (var writer = new BinaryWriter(buffer))
                {
                    serializer.Serialize(key, writer);
                    writer.Flush();
                    var bytes = buffer.GetBuffer().AsSpan(0, (int)buffer.Length);
                    var hash = 17;
                    while (bytes.Length >= 4)
                    {
                        hash = (hash * 31) + BinaryPrimitives.ReadInt32LittleEndian(bytes);
                        bytes = bytes[4..];
                    }

                    foreach (var b in bytes)
                    {
                        hash = (hash * 31) + b;
                    }

                    return Mix(hash);
                }
        }
    }

    private static int StableStringHash(string s)
    {
        var hash = unchecked((int)2166136261);
        foreach (var c in s)
        {
            hash = unchecked((hash ^ c) * 16777619);
        }

        return hash;
    }

    // Murmur3's 32-bit finalizer: spreads nearby keys (k1, k2, …) across key groups.
    private static int Mix(int h)
    {
        unchecked
        {
            var x = (uint)h;
            x ^= x >> 16;
            x *= 0x85ebca6b;
            x ^= x >> 13;
            x *= 0xc2b2ae35;
            x ^= x >> 16;
            return (int)x;
        }
    }
}
