namespace Rivulet.Core.Runtime;

/// <summary>
/// The engine's own counters for one edge of the job graph: the most batches ever queued on any
/// of its channels (bounded by the channel capacity, whatever the speed difference), and how
/// often producers had to wait (backpressure).
/// </summary>
public sealed class ChannelStatistics(string edge, int capacity)
{
    private int _maxOccupancy;
    private long _blocked;

    /// <summary>The edge, as "upstream -> downstream" operator names.</summary>
    public string Edge { get; } = edge;

    /// <summary>Batches a channel of this edge holds at most.</summary>
    public int Capacity { get; } = capacity;

    /// <summary>The most batches ever queued at once on any one channel of this edge, across the job's attempts (at most <see cref="Capacity"/>).</summary>
    public int MaxOccupancy => Volatile.Read(ref _maxOccupancy);

    /// <summary>
    /// How often a producer found a channel of this edge full and waited (backpressure). Counted once per
    /// wait of up to 50 ms, so one long stall counts several times.
    /// </summary>
    public long TimesProducerBlocked => Interlocked.Read(ref _blocked);

    internal void RecordOccupancy(int occupancy)
    {
        var seen = Volatile.Read(ref _maxOccupancy);
        while (occupancy > seen)
        {
            var previous = Interlocked.CompareExchange(ref _maxOccupancy, occupancy, seen);
            if (previous == seen)
            {
                return;
            }

            seen = previous;
        }
    }

    internal void RecordBlocked() => Interlocked.Increment(ref _blocked);
}
