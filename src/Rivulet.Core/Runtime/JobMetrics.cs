using System.Collections.Concurrent;

namespace Rivulet.Core.Runtime;

/// <summary>What the engine counts about a job, across attempts.</summary>
public sealed class JobMetrics
{
    private readonly TimeProvider _clock;
    private readonly ConcurrentDictionary<string, ChannelStatistics> _edges = new();
    private long _checkpointsCompleted;
    private long _checkpointsFailed;
    private int _restarts;
    private long _lastCheckpointDurationMs;
    private long _lateRecordsDropped;
    private long _lastCheckpointCompletedAtMs = -1;

    internal JobMetrics(TimeProvider clock) => _clock = clock;

    /// <summary>Checkpoints completed, savepoints and the final checkpoint included.</summary>
    public long CheckpointsCompleted => Interlocked.Read(ref _checkpointsCompleted);

    /// <summary>
    /// Checkpoints that failed: declined by a subtask, timed out, or whose metadata could not be written.
    /// Checkpoints aborted because an attempt ended or a source finished are not counted.
    /// </summary>
    public long CheckpointsFailed => Interlocked.Read(ref _checkpointsFailed);

    /// <summary>Times the job restarted after a failure, as its restart strategy allowed.</summary>
    public int Restarts => Volatile.Read(ref _restarts);

    /// <summary>Milliseconds from trigger to completion of the latest completed checkpoint or savepoint; 0 before the first.</summary>
    public long LastCheckpointDurationMs => Interlocked.Read(ref _lastCheckpointDurationMs);

    /// <summary>When the latest checkpoint or savepoint of this job completed (this process's clock); null before the first.</summary>
    public DateTimeOffset? LastCheckpointCompletedAt =>
        Interlocked.Read(ref _lastCheckpointCompletedAtMs) is var ms and >= 0 ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : null;

    /// <summary>Elements that reached an event-time window after its allowed lateness, with no late-data side output to go to.</summary>
    public long LateRecordsDropped => Interlocked.Read(ref _lateRecordsDropped);

    /// <summary>Channel occupancy and backpressure per edge ("upstream -> downstream").</summary>
    public IReadOnlyCollection<ChannelStatistics> Edges => [.. _edges.Values];

    internal ChannelStatistics Edge(string name, int capacity) => _edges.GetOrAdd(name, n => new ChannelStatistics(n, capacity));

    internal void CheckpointCompleted(TimeSpan duration)
    {
        Interlocked.Increment(ref _checkpointsCompleted);
        Interlocked.Exchange(ref _lastCheckpointDurationMs, (long)duration.TotalMilliseconds);
        Interlocked.Exchange(ref _lastCheckpointCompletedAtMs, _clock.GetUtcNow().ToUnixTimeMilliseconds());
    }

    internal void CheckpointFailed() => Interlocked.Increment(ref _checkpointsFailed);

    internal void Restarted() => Interlocked.Increment(ref _restarts);

    internal void LateRecordDropped() => Interlocked.Increment(ref _lateRecordsDropped);
}
