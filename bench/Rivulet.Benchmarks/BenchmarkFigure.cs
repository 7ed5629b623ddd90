using System.Globalization;

namespace Rivulet.Benchmarks;

/// <summary>One measured run: what it was, how many records, how long.</summary>
internal sealed record BenchmarkFigure(string Name, long Records, TimeSpan Elapsed, long Bytes = 0)
{
    public double RecordsPerSecond => Records / Math.Max(Elapsed.TotalSeconds, 1e-9);

    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{Name,-48} {Records,12:N0} records in {Elapsed.TotalSeconds,7:F2} s = {RecordsPerSecond,12:N0} records/s");

    public static string Ratio(double value, double baseline) => (value / Math.Max(baseline, 1e-9)).ToString("F2", CultureInfo.InvariantCulture);
}
