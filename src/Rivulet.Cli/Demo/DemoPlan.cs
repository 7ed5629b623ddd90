namespace Rivulet.Cli.Demo;

/// <summary>How one demo run treats its job: the topics, when processes are killed, the parallelism of each, the faults done to the brokers.</summary>
internal sealed record DemoPlan
{
    public required string InputTopic { get; init; }

    public required string OutputTopic { get; init; }

    /// <summary>When to SIGKILL a job process; null = never.</summary>
    public IKillPolicy? KillPolicy { get; init; }

    /// <summary>The parallelism of the n-th job process (0-based).</summary>
    public required Func<int, int> ParallelismForStart { get; init; }

    /// <summary>Broker faults during the run; null = none.</summary>
    public IBrokerChaos? Chaos { get; init; }

    /// <summary>Whether kills and broker faults stop once all input is written, so the job can finish (the chaos harness); the demo keeps killing.</summary>
    public bool ChaosEndsWithInput { get; init; }
}
