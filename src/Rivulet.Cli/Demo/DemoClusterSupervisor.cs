using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Rivulet.Cli.Demo;

/// <summary>
/// Keeps a local cluster running the demo job: a JobManager process and <paramref name="taskManagers"/>
/// TaskManager processes on 127.0.0.1 (each <c>rivulet demo-job</c> with its <c>--rivulet-*</c>
/// role), all running the same job program. A TaskManager that exits by itself is started again;
/// with a kill policy, a random TaskManager is SIGKILLed when the policy says so and a new
/// TaskManager process takes its place — the JobManager notices the loss within the failure
/// detection timeout and restarts the job from its latest checkpoint once the slots are back.
/// The JobManager is not killed: its loss ends the run (high availability is not part of this cluster).
/// </summary>
/// <param name="jobArguments">The demo job's own arguments, the same for every process.</param>
/// <param name="taskManagers">How many TaskManager processes run.</param>
/// <param name="slots">Slots per TaskManager.</param>
/// <param name="killPolicy">When to kill a TaskManager; asked about the job since the latest kill. Null = never.</param>
/// <param name="killMode">
/// What the kill policy's period counts from: with <see cref="KillMode.AfterCheckpoint"/> from the job's
/// recovery (its first checkpoint since the previous kill), so each kill gives the job the whole period
/// to make progress however long detection and recovery take; with <see cref="KillMode.Any"/> from the
/// previous kill, so kills also land while the job is recovering.
/// </param>
/// <param name="console">Where events go.</param>
internal sealed class DemoClusterSupervisor(IReadOnlyList<string> jobArguments, int taskManagers, int slots, IKillPolicy? killPolicy, KillMode killMode, DemoConsole console)
    : IDemoJob
{
    /// <summary>Heartbeats and failure detection short enough that a demo with kills every few seconds shows recovery, not waiting.</summary>
    public const int HeartbeatMs = 500;

    /// <inheritdoc cref="HeartbeatMs"/>
    public const int FailureTimeoutMs = 3_000;

    private const int MaxExitsWithoutCheckpoint = 3;

    private readonly Random _random = new();
    private readonly JobProgressTotals _taskManagerTotals = new();
    private readonly List<TimeSpan> _killTimes = [];
    private readonly List<TimeSpan> _killedUptimes = [];
    private readonly DemoJobProcess?[] _taskManagers = new DemoJobProcess?[taskManagers];
    private DemoJobProcess? _jobManager;
    private int _jobManagerPort;
    private int _exitsWithoutCheckpoint;
    private long _checkpointsAtExit;
    private bool _killing = killPolicy is not null;
    private TimeSpan _lastKillAt;
    private TimeSpan? _recoveredAt;
    private long _checkpointsAtLastKill;

    public IReadOnlyList<TimeSpan> KillTimes => _killTimes;

    public IReadOnlyList<TimeSpan> KilledUptimes => _killedUptimes;

    public int KillsBeforeFirstCheckpoint { get; private set; }

    /// <summary>The job's restarts on the JobManager (each from the latest checkpoint); TaskManager process restarts are counted apart.</summary>
    public int Restarts => JobManagerProgress.Restarts;

    /// <summary>What the TaskManagers' Kafka sources read, over all TaskManager processes so far.</summary>
    public long RecordsRead => _taskManagerTotals.RecordsRead(RunningTaskManagers);

    public long CheckpointsCompleted => JobManagerProgress.CheckpointsCompleted;

    public long? LatestCheckpoint => JobManagerProgress.LatestCheckpoint;

    public bool IsRunning => _jobManager is { HasExited: false } && _taskManagers.All(t => t is { HasExited: false });

    public string Processes =>
        string.Create(CultureInfo.InvariantCulture,
            $"processes: jobmanager {(_jobManager is { HasExited: false } ? "up" : "down")}, taskmanagers {_taskManagers.Count(t => t is { HasExited: false })}/{_taskManagers.Length} up, {_taskManagers.Length * slots} slots");

    public int? TaskManagerKills => _killTimes.Count;

    /// <summary>The JobManager's address, which TaskManagers join.</summary>
    public string JobManagerAddress => string.Create(CultureInfo.InvariantCulture, $"127.0.0.1:{_jobManagerPort}");

    private JobProgress JobManagerProgress => _jobManager?.Progress ?? JobProgress.None;

    public void Start()
    {
        _jobManagerPort = FreePort();
        _jobManager = StartProcess("jobmanager", ["--rivulet-role", "jobmanager", "--rivulet-port", Text(_jobManagerPort)]);
        console.Event($"cluster: started the JobManager, process {_jobManager.Id}, at {JobManagerAddress}");
        for (var i = 0; i < _taskManagers.Length; i++)
        {
            StartTaskManager(i);
        }
    }

    public void StopKilling() => _killing = false;

    public string? Supervise(TimeSpan now)
    {
        var jobManager = _jobManager ?? throw new InvalidOperationException("The cluster was not started.");
        if (jobManager.HasExited)
        {
            return $"the JobManager process {jobManager.Id} exited by itself (code {jobManager.ExitCode}); its output is above";
        }

        for (var i = 0; i < _taskManagers.Length; i++)
        {
            if (_taskManagers[i] is { HasExited: true } exited)
            {
                var checkpoints = CheckpointsCompleted;
                _exitsWithoutCheckpoint = checkpoints == _checkpointsAtExit ? _exitsWithoutCheckpoint + 1 : 1;
                _checkpointsAtExit = checkpoints;
                console.Event($"cluster: TaskManager process {exited.Id} exited by itself (code {exited.ExitCode})");
                if (_exitsWithoutCheckpoint >= MaxExitsWithoutCheckpoint)
                {
                    return $"TaskManager processes exited {_exitsWithoutCheckpoint} times without a checkpoint completing in between (their output is above)";
                }

                ReplaceTaskManager(i);
            }
        }

        var checkpointsSinceKill = CheckpointsCompleted - _checkpointsAtLastKill;
        _recoveredAt ??= checkpointsSinceKill > 0 ? now : null;
        var running = killMode == KillMode.Any ? now - _lastKillAt : now - (_recoveredAt ?? now);
        var sinceKill = new KillCandidate(_killTimes.Count, running, checkpointsSinceKill);
        if (_killing && killPolicy!.ShouldKill(sinceKill))
        {
            var index = _random.Next(_taskManagers.Length);
            var victim = _taskManagers[index]!;
            victim.Kill();
            _killTimes.Add(now);
            _killedUptimes.Add(now - _lastKillAt);
            if (sinceKill.CheckpointsCompleted == 0)
            {
                KillsBeforeFirstCheckpoint++;
            }

            console.Event($"chaos: SIGKILL to TaskManager process {victim.Id} ({_killTimes.Count} kills; latest checkpoint {LatestCheckpoint?.ToString(CultureInfo.InvariantCulture) ?? "none"}); " +
                          "starting a TaskManager in its place");
            ReplaceTaskManager(index);
            _lastKillAt = now;
            _recoveredAt = null;
            _checkpointsAtLastKill = CheckpointsCompleted;
        }

        return null;
    }

    /// <summary>Stops the JobManager first (it cancels the job, and the TaskManagers end with it), then the TaskManagers.</summary>
    public async Task StopAsync(TimeSpan grace)
    {
        if (_jobManager is { } jobManager)
        {
            console.Event($"cluster: stopping the JobManager, process {jobManager.Id}");
            await jobManager.StopAsync(grace);
        }

        for (var i = 0; i < _taskManagers.Length; i++)
        {
            if (_taskManagers[i] is { } taskManager)
            {
                await taskManager.StopAsync(grace);
                _taskManagerTotals.Add(taskManager.Progress);
                taskManager.Dispose();
                _taskManagers[i] = null;
            }
        }
    }

    public void Dispose()
    {
        foreach (var taskManager in _taskManagers)
        {
            taskManager?.Dispose();
        }

        _jobManager?.Dispose();
    }

    private void StartTaskManager(int index)
    {
        var taskManager = StartProcess($"taskmanager {index + 1}", [
            "--rivulet-role", "taskmanager", "--rivulet-join", JobManagerAddress, "--rivulet-slots", Text(slots),
        ]);
        _taskManagers[index] = taskManager;
        console.Event($"cluster: started TaskManager {index + 1}, process {taskManager.Id} ({slots} slot{(slots == 1 ? string.Empty : "s")})");
    }

    private void ReplaceTaskManager(int index)
    {
        _taskManagerTotals.Add(_taskManagers[index]!.Progress);
        _taskManagers[index]!.Dispose();
        StartTaskManager(index);
    }

    private DemoJobProcess StartProcess(string name, IEnumerable<string> role)
    {
        DemoJobProcess? process = null;
        IEnumerable<string> arguments =
        [
            .. jobArguments, .. role,
            "--rivulet-heartbeat-ms", Text(HeartbeatMs), "--rivulet-failure-timeout-ms", Text(FailureTimeoutMs),
        ];
        process = DemoJobProcess.Start(arguments, line => console.Event($"  {name} {process?.Id.ToString(CultureInfo.InvariantCulture) ?? "?"} | {line}"));
        return process;
    }

    /// <summary>The running TaskManagers' records read and sent, added up (the JobManager reads none).</summary>
    private JobProgress RunningTaskManagers => _taskManagers.Aggregate(JobProgress.None, (sum, taskManager) => taskManager is null ? sum
        : sum with { RecordsRead = sum.RecordsRead + taskManager.Progress.RecordsRead, RecordsSent = sum.RecordsSent + taskManager.Progress.RecordsSent });

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);
}
