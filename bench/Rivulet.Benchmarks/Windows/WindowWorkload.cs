namespace Rivulet.Benchmarks.Windows;

/// <summary>What the windows benchmark's job and loop both process.</summary>
internal sealed record WindowWorkload(long Records, int Keys, long PerSecond, int MaxLatenessMs)
{
    public TimeSpan WindowSize { get; } = TimeSpan.FromSeconds(1);

    /// <summary>What a run produced: windows fired (one per key and second) and the events they counted.</summary>
    internal readonly record struct Outcome(long Windows, long Events);
}
