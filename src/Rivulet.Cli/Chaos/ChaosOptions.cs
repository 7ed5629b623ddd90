namespace Rivulet.Cli.Chaos;

/// <summary>The options of <c>rivulet chaos</c>.</summary>
internal sealed record ChaosOptions
{
    public int Rounds { get; init; } = 10;

    /// <summary>Seed of every random choice; null = a new one, printed so the run can be replayed.</summary>
    public int? Seed { get; init; }

    /// <summary>An external cluster; null = the embedded 3-broker test broker (with broker faults and injected errors).</summary>
    public string? BootstrapServers { get; init; }

    /// <summary>Where every round's detailed log goes.</summary>
    public string? LogPath { get; init; }

    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (Rounds is < 1 or > 10_000)
        {
            problems.Add($"--rounds must be between 1 and 10000 (got {Rounds}).");
        }

        if (BootstrapServers is { } servers && string.IsNullOrWhiteSpace(servers))
        {
            problems.Add("--bootstrap-servers must be a comma-separated host:port list.");
        }

        return problems;
    }
}
