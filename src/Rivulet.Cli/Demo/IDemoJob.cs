namespace Rivulet.Cli.Demo;

/// <summary>
/// The demo job as <see cref="DemoRun"/> drives it: one job process (<see cref="DemoJobSupervisor"/>)
/// or a local cluster of a JobManager and TaskManager processes (<see cref="DemoClusterSupervisor"/>),
/// kept running, killed as a kill policy says, its progress added up over all processes.
/// </summary>
internal interface IDemoJob : IDisposable
{
    /// <summary>Seconds into the run at which each kill happened.</summary>
    IReadOnlyList<TimeSpan> KillTimes { get; }

    /// <summary>How long each killed process (or, on a cluster, the job since the previous kill) had run.</summary>
    IReadOnlyList<TimeSpan> KilledUptimes { get; }

    /// <summary>Kills that came before a checkpoint completed since the start or the previous kill: while starting or recovering.</summary>
    int KillsBeforeFirstCheckpoint { get; }

    /// <summary>Process restarts plus the engine's own restarts of the job.</summary>
    int Restarts { get; }

    /// <summary>Records the job read from Kafka, replays after a restore included.</summary>
    long RecordsRead { get; }

    long CheckpointsCompleted { get; }

    long? LatestCheckpoint { get; }

    /// <summary>Whether the job is running now (not between a kill and its recovery).</summary>
    bool IsRunning { get; }

    /// <summary>What the status line says about the processes (null for a single process).</summary>
    string? Processes { get; }

    /// <summary>On a cluster: how many of the kills hit a TaskManager; null for a single process.</summary>
    int? TaskManagerKills { get; }

    void Start();

    /// <summary>No more kills from now on: the job may run to the end.</summary>
    void StopKilling();

    /// <summary>Restarts what exited, kills what is due; returns why the run cannot go on, if it cannot.</summary>
    string? Supervise(TimeSpan now);

    /// <summary>Stops the job gracefully (killing what does not stop within <paramref name="grace"/>); the last reports join the totals.</summary>
    Task StopAsync(TimeSpan grace);
}
