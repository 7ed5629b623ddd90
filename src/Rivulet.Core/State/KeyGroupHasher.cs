using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using Rivulet.Core.State.Serialization;

namespace Rivulet.Core.State;

/// <summary>
/// Maps a key to its key group with a hash that is the same in every process (string.GetHashCode
/// is randomized per process, which would send a key to a different subtask after a restore).
/// Runs up to twice per keyed record (routing, then the keyed operator's key check), so int and long keys take a
/// path the JIT inlines, and the remainder avoids a division.
/// </summary>
internal sealed class KeyGroupHasher<TKey>
{
    private readonly ITypeSerializer<TKey> _serializer;
    private readonly uint _maxParallelism;

    // Lemire's "remainder by direct computation": x % d as two multiplications with a multiplier
    // fixed per divisor. A hardware division was the record writer's hottest instruction.
    private readonly ulong _remainderMultiplier;

    public KeyGroupHasher(ITypeSerializer<TKey> serializer, int maxParallelism)
    {
        _serializer = serializer;
        _maxParallelism = (uint)maxParallelism;
        _remainderMultiplier = unchecked((ulong.MaxValue / _maxParallelism) + 1);
    }

    public int KeyGroupOf(TKey key) => (int)Remainder((uint)Hash(key));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private uint Remainder(uint hash) => (uint)Math.BigMul(unchecked(_remainderMultiplier * hash), _maxParallelism, out _);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int Hash(TKey key)
    {
        // Both checks are constants for a value-type TKey: the JIT keeps one branch and no boxing.
        if (typeof(TKey) == typeof(int))
        {
            return Mix((int)(object)key!);
        }

        if (typeof(TKey) == typeof(long))
        {
            var l = (long)(object)key!;
            return Mix((int)l ^ (int)(l >> 32));
        }

        return HashAny(key);
    }

    private int HashAny(TKey key)
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
                    _serializer.Serialize(key, writer);
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
