using Rivulet.Connectors.Kafka.Sink;

namespace Rivulet.Cli.Demo;

/// <summary>The options of <c>rivulet demo</c>; the defaults make a run of about a minute.</summary>
internal sealed record DemoOptions
{
    public long Records { get; init; } = 50_000;

    /// <summary>Input records per second; 0 = as fast as possible.</summary>
    public double Rate { get; init; } = 1_000;

    public int Parallelism { get; init; } = 2;

    public int CheckpointIntervalMs { get; init; } = 1_000;

    public Semantic Semantic { get; init; } = Semantic.ExactlyOnce;

    /// <summary>An external cluster; null = start the embedded test broker.</summary>
    public string? BootstrapServers { get; init; }

    /// <summary>Chaos: SIGKILL the job process about this many seconds after each start; null = never.</summary>
    public double? KillEverySeconds { get; init; }

    /// <summary>Which moment the kill picks (see <see cref="Demo.KillMode"/>).</summary>
    public KillMode KillMode { get; init; } = KillMode.AfterCheckpoint;

    /// <summary><see cref="KillEverySeconds"/> as a time span, once valid.</summary>
    public TimeSpan? KillEvery => KillEverySeconds is { } seconds && double.IsFinite(seconds) && seconds > 0 ? TimeSpan.FromSeconds(seconds) : null;

    public string? SummaryJsonPath { get; init; }

    /// <summary>Run the job on a local cluster of a JobManager and this many TaskManager processes; null = one job process.</summary>
    public int? TaskManagers { get; init; }

    /// <summary>On a cluster: slots per TaskManager, enough for the parallelism spread over the TaskManagers.</summary>
    public int SlotsPerTaskManager => TaskManagers is { } count ? (Parallelism + count - 1) / count : 0;

    /// <summary>What is wrong with these options, one message per problem, naming the option.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (Records < 1)
        {
            problems.Add($"--records must be at least 1 (got {Records}).");
        }
        else if (Records > int.MaxValue)
        {
            problems.Add($"--records must be at most {int.MaxValue} (got {Records}).");
        }

        if (Rate < 0 || double.IsNaN(Rate) || double.IsInfinity(Rate))
        {
            problems.Add($"--rate must be a number of records per second ≥ 0, 0 meaning unlimited (got {Rate}).");
        }

        if (Parallelism is < 1 or > 128)
        {
            problems.Add($"--parallelism must be between 1 and 128 (got {Parallelism}).");
        }

        if (CheckpointIntervalMs < 10)
        {
            problems.Add($"--checkpoint-interval must be at least 10 ms (got {CheckpointIntervalMs}).");
        }

        if (KillEverySeconds is { } kill && (!double.IsFinite(kill) || kill <= 0 || kill > 86_400))
        {
            problems.Add($"--kill-every must be a positive number of seconds, at most a day (got {kill.ToString(System.Globalization.CultureInfo.InvariantCulture)}).");
        }

        if (TaskManagers is { } taskManagers && taskManagers is < 1 or > 16)
        {
            problems.Add($"--cluster must be a number of TaskManagers from 1 to 16 (got {taskManagers}).");
        }

        if (BootstrapServers is { } servers && string.IsNullOrWhiteSpace(servers))
        {
            problems.Add("--bootstrap-servers must be a comma-separated host:port list.");
        }

        return problems;
    }
}
