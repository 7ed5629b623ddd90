namespace Rivulet.Benchmarks.Windows;

/// <summary>A generated event: a key and an event timestamp (epoch milliseconds).</summary>
internal readonly record struct TimedEvent(int Key, long Timestamp)
{
    /// <summary>Event time of sequence number 0: an ordinary epoch-millisecond figure (2023-11-14).</summary>
    public const long FirstTimestamp = 1_700_000_000_000;

    /// <summary>
    /// The benchmark's map function, shared by the job and the hand-written loop. Event time
    /// advances by <paramref name="perSecond"/> events per second of event time; each event lands up
    /// to <paramref name="maxLatenessMs"/> earlier than its place in the sequence (pseudo-random), so
    /// the stream is out of order as real ones are. Keys come in pseudo-random order (Fibonacci
    /// hashing), as in the engine benchmark.
    /// </summary>
    public static TimedEvent From(long sequence, int keys, long perSecond, int maxLatenessMs)
    {
        var hash = unchecked((ulong)sequence * 0x9E3779B97F4A7C15UL);
        var lateness = (long)((hash >> 40) % (ulong)(maxLatenessMs + 1));
        return new TimedEvent((int)(hash % (ulong)keys), FirstTimestamp + (sequence * 1000 / perSecond) - lateness);
    }
}
