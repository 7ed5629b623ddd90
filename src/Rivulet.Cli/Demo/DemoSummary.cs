using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Rivulet.Connectors.Kafka.Sink;

namespace Rivulet.Cli.Demo;

/// <summary>The result of a demo run: printed at the end and written as JSON with <c>--summary-json</c>.</summary>
internal sealed record DemoSummary
{
    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public required string Semantic { get; init; }

    public required string Broker { get; init; }

    /// <summary>Input records written (N).</summary>
    public required long RecordsIn { get; init; }

    /// <summary>Output records a read_committed reader sees.</summary>
    public required long RecordsOut { get; init; }

    public required long Distinct { get; init; }

    public required long Duplicates { get; init; }

    public required long Missing { get; init; }

    public required long Unexpected { get; init; }

    public required long KeysWithWrongCounts { get; init; }

    public required int OpenTransactions { get; init; }

    public required long CheckpointsCompleted { get; init; }

    public long? LatestCheckpoint { get; init; }

    /// <summary>SIGKILLs of the job process (--kill-every), on a cluster of TaskManager processes: all kills.</summary>
    public required int Kills { get; init; }

    /// <summary>On a cluster (--cluster): how many TaskManager processes ran.</summary>
    [JsonPropertyName("taskmanagers")]
    public int? TaskManagers { get; init; }

    /// <summary>On a cluster: the kills that hit a TaskManager process.</summary>
    [JsonPropertyName("taskmanager_kills")]
    public int? TaskManagerKills { get; init; }

    /// <summary>Kills that hit a process before it completed a checkpoint of its own: while it started or recovered.</summary>
    public int KillsBeforeCheckpoint { get; init; }

    /// <summary>Job restarts: process restarts after kills or crashes, plus the engine's own restarts inside a process; on a cluster the job's restarts on the JobManager.</summary>
    public required int Restarts { get; init; }

    /// <summary>Seconds into the run at which each kill happened.</summary>
    public required IReadOnlyList<double> KillTimesSeconds { get; init; }

    /// <summary>How many seconds each killed process had run.</summary>
    public IReadOnlyList<double> KilledUptimesSeconds { get; init; } = [];

    /// <summary>The kill mode (<c>after-checkpoint</c> or <c>any</c>) when processes were killed.</summary>
    public string? KillMode { get; init; }

    /// <summary>Seconds into the run at which the last input record was written.</summary>
    public double? InputWrittenSeconds { get; init; }

    public required double Seconds { get; init; }

    /// <summary><c>pass</c>, <c>fail</c>, or <c>reported</c> (semantic none: counts only, no guarantee to check).</summary>
    public required string Verdict { get; init; }

    /// <summary>What the exit code says: true unless the guarantee was broken or the run could not finish.</summary>
    public required bool Passed { get; init; }

    public required string VerdictText { get; init; }

    /// <summary>Why the run could not finish, if it could not.</summary>
    public string? Failure { get; init; }

    internal static DemoSummary Create(DemoOptions options, DemoRunFacts facts, DemoVerdict verdict)
    {
        var (outcome, text) = Judge(options.Semantic, verdict, facts.Failure);
        return new DemoSummary
        {
            Semantic = SemanticArgument.Format(options.Semantic),
            Broker = facts.Broker,
            RecordsIn = facts.RecordsWritten,
            RecordsOut = verdict.RecordsOut,
            Distinct = verdict.Distinct,
            Duplicates = verdict.Duplicates,
            Missing = verdict.Missing,
            Unexpected = verdict.Unexpected,
            KeysWithWrongCounts = verdict.KeysWithWrongCounts,
            OpenTransactions = verdict.PartitionsWithOpenTransactions,
            CheckpointsCompleted = facts.CheckpointsCompleted,
            LatestCheckpoint = facts.LatestCheckpoint,
            Kills = facts.KillTimes.Count,
            TaskManagers = options.TaskManagers,
            TaskManagerKills = facts.TaskManagerKills,
            KillsBeforeCheckpoint = facts.KillsBeforeFirstCheckpoint,
            Restarts = facts.Restarts,
            KillTimesSeconds = [.. facts.KillTimes.Select(t => Math.Round(t.TotalSeconds, 1))],
            KilledUptimesSeconds = [.. facts.KilledUptimes.Select(t => Math.Round(t.TotalSeconds, 2))],
            KillMode = options.KillEvery is null ? null : options.KillMode == Demo.KillMode.Any ? "any" : "after-checkpoint",
            InputWrittenSeconds = facts.InputWrittenAt is { } written ? Math.Round(written.TotalSeconds, 1) : null,
            Seconds = Math.Round(facts.Duration.TotalSeconds, 1),
            Verdict = outcome,
            Passed = outcome != "fail",
            VerdictText = text,
            Failure = facts.Failure,
        };
    }

    public void WriteJson(string path) => File.WriteAllText(path, JsonSerializer.Serialize(this, JsonOptions) + Environment.NewLine);

    public static DemoSummary ReadJson(string path) =>
        JsonSerializer.Deserialize<DemoSummary>(File.ReadAllText(path), JsonOptions) ?? throw new InvalidDataException($"{path} holds no demo summary.");

    /// <summary>The summary as aligned text lines, for the terminal.</summary>
    public IEnumerable<string> Lines()
    {
        yield return "summary";
        yield return Row("semantic", Semantic);
        yield return Row("broker", Broker);
        yield return Row("records in", Number(RecordsIn));
        yield return Row("records out", $"{Number(RecordsOut)} read_committed ({Number(Distinct)} distinct)");
        yield return Row("duplicates", Number(Duplicates));
        yield return Row("missing", Number(Missing));
        if (Unexpected > 0)
        {
            yield return Row("unexpected", $"{Number(Unexpected)} records that are no input index");
        }

        yield return Row("per-key counts", KeysWithWrongCounts == 0 ? "every key counts 1, 2, …, n in order" : $"{Number(KeysWithWrongCounts)} keys with wrong counts");
        yield return Row("open transactions", OpenTransactions == 0 ? "none" : $"{OpenTransactions} partitions");
        yield return Row("checkpoints", $"{Number(CheckpointsCompleted)} completed" + (LatestCheckpoint is { } latest ? $" (latest {latest})" : string.Empty));
        if (TaskManagers is { } taskManagers)
        {
            yield return Row("cluster", $"a JobManager and {taskManagers} TaskManager processes; {TaskManagerKills ?? 0} TaskManager kills");
        }

        yield return Row("kills / restarts", $"{Kills} / {Restarts}" + (KillsBeforeCheckpoint > 0 ? $", {KillsBeforeCheckpoint} of the kills during start-up or recovery" : string.Empty) + (Kills > 0 ? $" (killed at {string.Join(", ", KillTimesSeconds.Select(s => s.ToString("0.0", CultureInfo.InvariantCulture) + " s"))})" : string.Empty));
        yield return Row("duration", $"{Seconds.ToString("0.0", CultureInfo.InvariantCulture)} s");
        if (Failure is not null)
        {
            yield return Row("failure", Failure);
        }

        yield return $"verdict: {Verdict.ToUpperInvariant()} — {VerdictText}";
    }

    private static (string Outcome, string Text) Judge(Semantic semantic, DemoVerdict verdict, string? failure)
    {
        if (failure is not null)
        {
            return ("fail", $"the run did not finish: {failure}");
        }

        return semantic switch
        {
            Connectors.Kafka.Sink.Semantic.ExactlyOnce when verdict.ExactlyOnce =>
                ("pass", "exactly-once holds: every input record is in the output once, with exact per-key counts, and no transaction is left open"),
            Connectors.Kafka.Sink.Semantic.ExactlyOnce =>
                ("fail", $"exactly-once is broken: {verdict}"),
            Connectors.Kafka.Sink.Semantic.AtLeastOnce when verdict.AtLeastOnce =>
                ("pass", $"at-least-once holds: no input record is missing ({Number(verdict.Duplicates)} duplicates, which at-least-once allows)"),
            Connectors.Kafka.Sink.Semantic.AtLeastOnce =>
                ("fail", $"at-least-once is broken: {Number(verdict.Missing)} input records are missing from the output"),
            _ => ("reported", $"semantic none promises nothing, so nothing is checked: {Number(verdict.Missing)} missing, {Number(verdict.Duplicates)} duplicates"),
        };
    }

    private static string Row(string name, string value) => $"  {name,-18}{value}";

    private static string Number(long value) => value.ToString("N0", CultureInfo.InvariantCulture);
}
