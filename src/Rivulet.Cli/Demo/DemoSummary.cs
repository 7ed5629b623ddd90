using System.Text.Json;

namespace Rivulet.Cli.Demo;

/// <summary>The demo's result, printed and optionally written as JSON (--summary-json).</summary>
internal sealed record DemoSummary
{
    public required string Semantic { get; init; }

    public required long RecordsIn { get; init; }

    public required long RecordsOut { get; init; }

    public required long Duplicates { get; init; }

    public required long Missing { get; init; }

    public required long KeysWithWrongCounts { get; init; }

    public required int OpenTransactions { get; init; }

    public required int Kills { get; init; }

    public required int Restarts { get; init; }

    public required long CheckpointsCompleted { get; init; }

    public required double Seconds { get; init; }

    public required bool Verdict { get; init; }

    public required string VerdictText { get; init; }

    public void WriteJson(string path) =>
        File.WriteAllText(path, JsonSerializer.Serialize(this, new JsonSerializerOptions { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower }));
}
