using System.Globalization;

namespace Rivulet.Cli.Demo;

/// <summary>
/// Keeps one demo job process running: starts it, starts it again when it exits by itself, and —
/// with a kill period — SIGKILLs it that long after each start and starts it again. Adds up what
/// all the processes reported.
/// </summary>
internal sealed class DemoJobSupervisor(IReadOnlyList<string> jobArguments, TimeSpan? killEvery, DemoConsole console) : IDisposable
{
    private const int MaxExitsWithoutCheckpoint = 3;

    private readonly JobProgressTotals _totals = new();
    private readonly List<TimeSpan> _killTimes = [];
    private DemoJobProcess? _job;
    private int _processRestarts;
    private int _exitsWithoutCheckpoint;

    public IReadOnlyList<TimeSpan> KillTimes => _killTimes;

    /// <summary>Process restarts (after kills and crashes) plus the engine's own restarts inside the processes.</summary>
    public int Restarts => _processRestarts + _totals.Restarts(Current);

    public long RecordsRead => _totals.RecordsRead(Current);

    public long CheckpointsCompleted => _totals.CheckpointsCompleted(Current);

    public long? LatestCheckpoint => _totals.LatestCheckpoint(Current);

    public bool IsRunning => _job is { HasExited: false };

    private JobProgress Current => _job?.Progress ?? JobProgress.None;

    public void Start()
    {
        DemoJobProcess? job = null;
        job = DemoJobProcess.Start(jobArguments, line => console.Event($"  job {job?.Id.ToString(CultureInfo.InvariantCulture) ?? "?"} | {line}"));
        _job = job;
        console.Event($"job: started process {job.Id}");
    }

    /// <summary>Restarts a process that exited, kills one whose time is up; returns why the run cannot go on, if it cannot.</summary>
    public string? Supervise(TimeSpan now)
    {
        var job = _job ?? throw new InvalidOperationException("The job was not started.");
        if (job.HasExited)
        {
            _exitsWithoutCheckpoint = job.Progress.CheckpointsCompleted == 0 ? _exitsWithoutCheckpoint + 1 : 0;
            console.Event($"job: process {job.Id} exited by itself (code {job.ExitCode})");
            if (_exitsWithoutCheckpoint >= MaxExitsWithoutCheckpoint)
            {
                return $"the job process exited {_exitsWithoutCheckpoint} times in a row without completing a checkpoint (its output is above)";
            }

            Restart();
        }
        else if (killEvery is { } every && job.Uptime >= every && job.Progress.CheckpointsCompleted > 0)
        {
            // Only a process that completed a checkpoint is killed, so every process moves the
            // job forward however short the period.
            job.Kill();
            _killTimes.Add(now);
            console.Event($"chaos: SIGKILL to job process {job.Id} after {job.Uptime.TotalSeconds:0.0} s " +
                          $"(latest checkpoint {LatestCheckpoint?.ToString(CultureInfo.InvariantCulture) ?? "none"}); restarting it");
            Restart();
        }

        return null;
    }

    /// <summary>Stops the running process gracefully; its last report joins the totals.</summary>
    public async Task StopAsync(TimeSpan grace)
    {
        if (_job is { } job)
        {
            console.Event($"job: stopping process {job.Id}");
            await job.StopAsync(grace);
            _totals.Add(job.Progress);
            job.Dispose();
            _job = null;
        }
    }

    public void Dispose() => _job?.Dispose();

    private void Restart()
    {
        _totals.Add(_job!.Progress);
        _job.Dispose();
        _processRestarts++;
        Start();
    }
}
