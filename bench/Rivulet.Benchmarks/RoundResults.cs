namespace Rivulet.Benchmarks;

/// <summary>Every contender's figures, one per round in round order.</summary>
internal sealed class RoundResults(IReadOnlyDictionary<string, List<BenchmarkFigure>> figures)
{
    /// <summary>The contender's fastest run.</summary>
    public BenchmarkFigure Best(string contender) => figures[contender].MaxBy(f => f.RecordsPerSecond)!;

    public double BestRecordsPerSecond(string contender) => Best(contender).RecordsPerSecond;

    /// <summary>
    /// The median over rounds of <c>1 - with / without</c>, each round comparing two runs made
    /// next to each other: the share of throughput <paramref name="with"/> loses, less exposed to
    /// the load of the moment than a comparison of two best runs from different rounds.
    /// </summary>
    public (double Median, IReadOnlyList<double> PerRound) CostPerRound(string with, string without)
    {
        var costs = figures[with].Zip(figures[without], (a, b) => 1 - (a.RecordsPerSecond / b.RecordsPerSecond)).ToList();
        var sorted = costs.Order().ToList();
        var median = sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
        return (median, costs);
    }
}
