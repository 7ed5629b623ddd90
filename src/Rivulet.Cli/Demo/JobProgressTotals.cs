namespace Rivulet.Cli.Demo;

/// <summary>
/// Adds up the progress of every job process of one demo run: each process counts from zero, so
/// the totals are the last report of each finished process plus the current one's.
/// </summary>
internal sealed class JobProgressTotals
{
    private JobProgress _finished = JobProgress.None;

    public long CheckpointsCompleted(JobProgress current) => _finished.CheckpointsCompleted + current.CheckpointsCompleted;

    public long RecordsRead(JobProgress current) => _finished.RecordsRead + current.RecordsRead;

    public long RecordsSent(JobProgress current) => _finished.RecordsSent + current.RecordsSent;

    /// <summary>Restarts inside job processes (the engine's own failover), not process restarts.</summary>
    public int Restarts(JobProgress current) => _finished.Restarts + current.Restarts;

    public long? LatestCheckpoint(JobProgress current) => current.LatestCheckpoint ?? _finished.LatestCheckpoint;

    /// <summary>A process ended (killed or stopped): its last report joins the totals.</summary>
    public void Add(JobProgress last) => _finished = new JobProgress(
        _finished.CheckpointsCompleted + last.CheckpointsCompleted,
        last.LatestCheckpoint ?? _finished.LatestCheckpoint,
        _finished.Restarts + last.Restarts,
        _finished.RecordsRead + last.RecordsRead,
        _finished.RecordsSent + last.RecordsSent);
}
