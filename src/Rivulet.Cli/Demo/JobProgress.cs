using System.Globalization;

namespace Rivulet.Cli.Demo;

/// <summary>
/// What a demo job process tells its parent about itself, one line on standard output:
/// <c>progress checkpoints=3 latest-checkpoint=17 restarts=0 read=1234 sent=1200</c>.
/// Counters are totals of this process only; the parent adds up the processes it started.
/// </summary>
internal sealed record JobProgress(long CheckpointsCompleted, long? LatestCheckpoint, int Restarts, long RecordsRead, long RecordsSent)
{
    private const string Prefix = "progress ";

    public static JobProgress None { get; } = new(0, null, 0, 0, 0);

    public string Format() => string.Create(CultureInfo.InvariantCulture,
        $"{Prefix}checkpoints={CheckpointsCompleted} latest-checkpoint={LatestCheckpoint?.ToString(CultureInfo.InvariantCulture) ?? "none"} restarts={Restarts} read={RecordsRead} sent={RecordsSent}");

    /// <summary>Reads a line written by <see cref="Format"/>; null for any other line.</summary>
    public static JobProgress? TryParse(string line)
    {
        if (!line.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return null;
        }

        var fields = line[Prefix.Length..]
            .Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Select(field => field.Split('=', 2))
            .Where(pair => pair.Length == 2)
            .ToDictionary(pair => pair[0], pair => pair[1], StringComparer.Ordinal);
        return Number(fields, "checkpoints") is { } checkpoints
               && Number(fields, "restarts") is { } restarts
               && Number(fields, "read") is { } read
               && Number(fields, "sent") is { } sent
            ? new JobProgress(checkpoints, Number(fields, "latest-checkpoint"), (int)restarts, read, sent)
            : null;
    }

    private static long? Number(Dictionary<string, string> fields, string name) =>
        fields.TryGetValue(name, out var text) && long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : null;
}
