namespace Rivulet.Benchmarks.Engine;

/// <summary>What the map step makes of a generated number: a key and a value to add up.</summary>
internal readonly record struct Reading(int Key, long Value)
{
    /// <summary>
    /// The benchmark's map function, shared by the job and the hand-written loop so both do the
    /// same work. Keys come in a pseudo-random order (Fibonacci hashing of the sequence number),
    /// as a real key stream does: with keys 0, 1, 2, … in turn, the hand-written loop's
    /// dictionary would walk its entries in memory order, a locality no real stream has.
    /// </summary>
    public static Reading From(long sequence, int keys) => new((int)(unchecked((ulong)sequence * 0x9E3779B97F4A7C15UL) % (ulong)keys), sequence & 0xFF);
}
