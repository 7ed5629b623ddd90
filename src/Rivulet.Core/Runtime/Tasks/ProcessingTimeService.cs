namespace Rivulet.Core.Runtime.Tasks;

/// <summary>
/// Processing-time callbacks of one subtask. A callback never runs on the timer's thread: when it
/// is due, the timer posts mail to the subtask, and the subtask's loop runs it between two records
/// (or while a source yields) — so timers need no locks, like all other user code of a subtask.
/// Registration and firing happen on the subtask's thread only; one .NET timer is armed for the
/// earliest registration. Time is the job's clock (<see cref="JobSettings.Clock"/>), so a test can
/// step processing time instead of waiting for it.
/// </summary>
internal sealed class ProcessingTimeService : IDisposable
{
    private readonly Action<Action> _post;
    private readonly TimeProvider _clock;
    private readonly PriorityQueue<Action<long>, long> _callbacks = new();
    private readonly ITimer _timer;
    private long _armedFor = long.MaxValue;
    private bool _disposed;

    /// <param name="post">Hands a piece of work to the subtask's loop (thread-safe).</param>
    /// <param name="clock">The job's clock.</param>
    public ProcessingTimeService(Action<Action> post, TimeProvider clock)
    {
        _post = post;
        _clock = clock;
        _timer = clock.CreateTimer(_ => _post(FireDue), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    /// <summary>The job clock's time in Unix ms.</summary>
    public long Now => _clock.GetUtcNow().ToUnixTimeMilliseconds();

    /// <summary>Runs <paramref name="callback"/> (with its due time) on the subtask's loop once the clock reaches <paramref name="timestampMs"/>.</summary>
    public void RegisterTimer(long timestampMs, Action<long> callback)
    {
        if (_disposed)
        {
            return;
        }

        _callbacks.Enqueue(callback, timestampMs);
        Arm();
    }

    /// <summary>Runs <paramref name="callback"/> every <paramref name="interval"/> until the subtask ends.</summary>
    public void SchedulePeriodic(TimeSpan interval, Action<long> callback)
    {
        var period = Math.Max(1L, (long)interval.TotalMilliseconds);
        void Next(long due)
        {
            callback(due);
            // Next slot after now, not after due: a subtask that fell behind does not fire a burst.
            RegisterTimer(Math.Max(due + period, Now + 1), Next);
        }

        RegisterTimer(Now + period, Next);
    }

    public void Dispose()
    {
        _disposed = true;
        _timer.Dispose();
    }

    private void FireDue()
    {
        _armedFor = long.MaxValue;
        var now = Now;
        while (!_disposed && _callbacks.TryPeek(out var callback, out var due) && due <= now)
        {
            _callbacks.Dequeue();
            callback(due);
        }

        Arm();
    }

    private void Arm()
    {
        if (_disposed || !_callbacks.TryPeek(out _, out var due) || due >= _armedFor)
        {
            return;
        }

        _armedFor = due;
        var delay = Math.Max(0, due - Now);
        _timer.Change(TimeSpan.FromMilliseconds(delay), Timeout.InfiniteTimeSpan);
    }
}
