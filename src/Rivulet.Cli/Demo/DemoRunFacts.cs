namespace Rivulet.Cli.Demo;

/// <summary>What the demo run itself observed, beside the verifier's verdict.</summary>
internal sealed record DemoRunFacts
{
    public required string Broker { get; init; }

    public required long RecordsWritten { get; init; }

    public required long CheckpointsCompleted { get; init; }

    public long? LatestCheckpoint { get; init; }

    public required IReadOnlyList<TimeSpan> KillTimes { get; init; }

    /// <summary>On a cluster: the kills that hit a TaskManager; null when the job ran in one process.</summary>
    public int? TaskManagerKills { get; init; }

    /// <summary>How long each killed process had run when it was killed.</summary>
    public IReadOnlyList<TimeSpan> KilledUptimes { get; init; } = [];

    /// <summary>Kills of a process before it completed a checkpoint of its own (while starting or recovering).</summary>
    public int KillsBeforeFirstCheckpoint { get; init; }

    public required int Restarts { get; init; }

    public TimeSpan? InputWrittenAt { get; init; }

    public required TimeSpan Duration { get; init; }

    public string? Failure { get; init; }
}
