using System.Diagnostics;

namespace Rivulet.Benchmarks.Kafka;

/// <summary>
/// Times records from the first one that arrives to the last expected one, so a run is measured
/// at its steady rate, without the client's start (connecting, looking up offsets) in it.
/// </summary>
internal sealed class ArrivalClock(long expected)
{
    private readonly TaskCompletionSource _all = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _first;
    private long _last;
    private long _arrived;

    public long Expected { get; } = expected;

    public long Arrived => Volatile.Read(ref _arrived);

    /// <summary>Completes when the expected number of records arrived.</summary>
    public Task AllArrived => _all.Task;

    /// <summary>From the first to the last expected record (the first record's own arrival is not timed).</summary>
    public TimeSpan Elapsed => Stopwatch.GetElapsedTime(_first, _last);

    /// <summary>Counts one record; called from one thread at a time.</summary>
    public void Arrive()
    {
        var arrived = _arrived + 1;
        Volatile.Write(ref _arrived, arrived);
        if (arrived == 1)
        {
            _first = Stopwatch.GetTimestamp();
        }

        if (arrived == Expected)
        {
            _last = Stopwatch.GetTimestamp();
            _all.TrySetResult();
        }
    }

    /// <summary>Records timed: all but the first, whose arrival starts the clock.</summary>
    public long TimedRecords => Expected - 1;
}
