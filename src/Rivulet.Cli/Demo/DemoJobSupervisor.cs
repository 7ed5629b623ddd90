using System.Globalization;

namespace Rivulet.Cli.Demo;

/// <summary>
/// Keeps one demo job process running: starts it, starts it again when it exits by itself, and —
/// with a kill policy — SIGKILLs it when the policy says so and starts it again. Adds up what all
/// the processes reported.
/// </summary>
/// <param name="argumentsForStart">The job's arguments for the n-th process (0-based): the chaos harness varies the parallelism.</param>
/// <param name="killPolicy">When to kill a process; null = never.</param>
/// <param name="console">Where events go.</param>
internal sealed class DemoJobSupervisor(Func<int, IReadOnlyList<string>> argumentsForStart, IKillPolicy? killPolicy, DemoConsole console) : IDemoJob
{
    private const int MaxExitsWithoutCheckpoint = 3;

    private readonly JobProgressTotals _totals = new();
    private readonly List<TimeSpan> _killTimes = [];
    private readonly List<TimeSpan> _killedUptimes = [];
    private DemoJobProcess? _job;
    private int _starts;
    private int _processRestarts;
    private int _exitsWithoutCheckpoint;
    private bool _killing = killPolicy is not null;

    public IReadOnlyList<TimeSpan> KillTimes => _killTimes;

    /// <summary>How long each killed process had run.</summary>
    public IReadOnlyList<TimeSpan> KilledUptimes => _killedUptimes;

    /// <summary>Kills of a process that had not completed a checkpoint of its own: it was starting or recovering.</summary>
    public int KillsBeforeFirstCheckpoint { get; private set; }

    /// <summary>Process restarts (after kills and crashes) plus the engine's own restarts inside the processes.</summary>
    public int Restarts => _processRestarts + _totals.Restarts(Current);

    public long RecordsRead => _totals.RecordsRead(Current);

    public long CheckpointsCompleted => _totals.CheckpointsCompleted(Current);

    public long? LatestCheckpoint => _totals.LatestCheckpoint(Current);

    public bool IsRunning => _job is { HasExited: false };

    public string? Processes => null;

    public int? TaskManagerKills => null;

    private JobProgress Current => _job?.Progress ?? JobProgress.None;

    public void Start()
    {
        DemoJobProcess? job = null;
        job = DemoJobProcess.Start(argumentsForStart(_starts++), line => console.Event($"  job {job?.Id.ToString(CultureInfo.InvariantCulture) ?? "?"} | {line}"));
        _job = job;
        console.Event($"job: started process {job.Id}");
    }

    /// <summary>No more kills from now on: the job may run to the end.</summary>
    public void StopKilling() => _killing = false;

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
        else if (_killing && killPolicy!.ShouldKill(new KillCandidate(job.Id, job.Uptime, job.Progress.CheckpointsCompleted)))
        {
            var checkpointed = job.Progress.CheckpointsCompleted > 0;
            var uptime = job.Uptime;
            job.Kill();
            _killTimes.Add(now);
            _killedUptimes.Add(uptime);
            if (!checkpointed)
            {
                KillsBeforeFirstCheckpoint++;
            }

            console.Event($"chaos: SIGKILL to job process {job.Id} after {uptime.TotalSeconds:0.0} s " +
                          (checkpointed ? $"(latest checkpoint {LatestCheckpoint?.ToString(CultureInfo.InvariantCulture) ?? "none"})" : "(before its first checkpoint)") +
                          "; restarting it");
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
