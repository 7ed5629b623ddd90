using System.Globalization;

namespace Rivulet.Cluster.TestJob;

/// <summary>
/// The test job's own arguments: --records N (0 = unbounded), --keys K, --out DIR, --parallelism P,
/// --per-second N (throttle each source subtask), --sink-delay-ms D, --variant NAME (another uid:
/// another job graph), --checkpoint-dir DIR and --checkpoint-ms N (checkpoints; resumes from the
/// latest there), --restore PATH (a savepoint), --savepoint-after-ms N with --savepoint-dir DIR
/// (on the JobManager: take a savepoint after that long, then cancel the job).
/// </summary>
internal sealed record Options(long Records, long Keys, string Out, int Parallelism, int PerSecond, TimeSpan SinkDelay, string? Variant,
    string? CheckpointDirectory, int CheckpointIntervalMs, string? Restore, TimeSpan? SavepointAfter, string? SavepointDirectory)
{
    public static Options Parse(string[] args)
    {
        string? Value(string name)
        {
            var index = Array.IndexOf(args, name);
            return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
        }

        long Number(string name, long fallback) => Value(name) is { } value ? long.Parse(value, CultureInfo.InvariantCulture) : fallback;

        return new Options(
            Number("--records", 10_000),
            Number("--keys", 10),
            Value("--out") ?? Path.Combine(Path.GetTempPath(), "rivulet-cluster-test"),
            (int)Number("--parallelism", 2),
            (int)Number("--per-second", 0),
            TimeSpan.FromMilliseconds(Number("--sink-delay-ms", 0)),
            Value("--variant"),
            Value("--checkpoint-dir"),
            (int)Number("--checkpoint-ms", 200),
            Value("--restore"),
            Value("--savepoint-after-ms") is { } ms ? TimeSpan.FromMilliseconds(long.Parse(ms, CultureInfo.InvariantCulture)) : null,
            Value("--savepoint-dir"));
    }
}
