using System.Globalization;

namespace Rivulet.Benchmarks;

/// <summary>One measured run: what it was, how many records, how long, and anything worth noting.</summary>
internal sealed record BenchmarkFigure(string Name, long Records, TimeSpan Elapsed, string? Note = null)
{
    public double RecordsPerSecond => Records / Math.Max(Elapsed.TotalSeconds, 1e-9);

    /// <summary>CPU time of the whole process during the run (all threads, the in-process test broker included).</summary>
    public TimeSpan? ProcessCpu { get; init; }

    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{Name,-44} {Records,12:N0} records in {Elapsed.TotalSeconds,6:F2} s = {RecordsPerSecond,12:N0} records/s")
        + (ProcessCpu is { } cpu ? string.Create(CultureInfo.InvariantCulture, $", cpu {cpu.TotalSeconds:F2} s") : string.Empty)
        + (Note is null ? string.Empty : $"  ({Note})");

    public static string Ratio(double value, double baseline) => (value / Math.Max(baseline, 1e-9)).ToString("F2", CultureInfo.InvariantCulture);

    public static string Whole(double value) => value.ToString("F0", CultureInfo.InvariantCulture);
}
