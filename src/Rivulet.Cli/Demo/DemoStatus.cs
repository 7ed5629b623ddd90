using System.Globalization;

namespace Rivulet.Cli.Demo;

/// <summary>One look at a running demo: what the status line shows.</summary>
internal sealed record DemoStatus
{
    public required TimeSpan Elapsed { get; init; }

    public required long Written { get; init; }

    public required long Records { get; init; }

    /// <summary>Records the job read from Kafka per second (replays after a restore included).</summary>
    public required double InPerSecond { get; init; }

    /// <summary>Output records that became visible to read_committed readers per second.</summary>
    public required double OutPerSecond { get; init; }

    public required long CommittedOut { get; init; }

    public required long CheckpointsCompleted { get; init; }

    public required long? Lag { get; init; }

    public required int Kills { get; init; }

    public required int Restarts { get; init; }

    public required bool JobRunning { get; init; }

    /// <summary>On a cluster: which processes are up and the slots they offer; null for one job process.</summary>
    public string? Processes { get; init; }

    public override string ToString()
    {
        var lag = Lag is { } value ? value.ToString("N0", CultureInfo.InvariantCulture) : "?";
        var line = FormattableString.Invariant(
            $"[{Elapsed.TotalSeconds,4:0}s] input {Written:N0}/{Records:N0} | in {InPerSecond,6:N0}/s | out {OutPerSecond,6:N0}/s ({CommittedOut:N0} committed) | checkpoints {CheckpointsCompleted:N0} | lag {lag} | kills {Kills} | restarts {Restarts}");
        if (Processes is not null)
        {
            line += " | " + Processes;
        }

        return JobRunning ? line : line + " | job restarting";
    }
}
