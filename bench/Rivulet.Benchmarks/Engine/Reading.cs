namespace Rivulet.Benchmarks.Engine;

/// <summary>What the map step makes of a generated number: a key and a value to add up.</summary>
internal readonly record struct Reading(int Key, long Value)
{
    /// <summary>The benchmark's map function, shared by the job and the hand-written loop so both do the same work.</summary>
    public static Reading From(long sequence, int keys) => new((int)(unchecked((ulong)sequence * 0x9E3779B97F4A7C15UL) % (ulong)keys), sequence & 0xFF);
}

/// <summary>A key's running sum after one more reading.</summary>
internal readonly record struct KeyedSum(int Key, long Sum);
