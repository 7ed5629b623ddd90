namespace Rivulet.Benchmarks;

/// <summary>
/// Runs contenders in alternation, round after round, and keeps each one's best figure. The
/// machine is shared and noisy: alternating spreads a noisy moment over all contenders instead
/// of one, and the best of several runs is the one least disturbed by others.
/// </summary>
internal sealed class InterleavedRounds(int rounds, TextWriter output)
{
    public int Rounds { get; } = rounds;

    public async Task<IReadOnlyDictionary<string, BenchmarkFigure>> RunAsync(IReadOnlyList<Contender> contenders, CancellationToken cancellationToken)
    {
        var best = new Dictionary<string, BenchmarkFigure>(StringComparer.Ordinal);
        for (var round = 1; round <= Rounds; round++)
        {
            output.WriteLine($"round {round}/{Rounds}");
            for (var i = 0; i < contenders.Count; i++)
            {
                // Rotate the order so no contender always runs right after the same other one.
                var contender = contenders[(i + round - 1) % contenders.Count];
                cancellationToken.ThrowIfCancellationRequested();
                var cpuBefore = Environment.CpuUsage.TotalTime;
                var figure = await contender.RunAsync(cancellationToken);

                // A run that checks its output afterwards (reading it back) measures its own CPU time.
                figure = figure with { ProcessCpu = figure.ProcessCpu ?? Environment.CpuUsage.TotalTime - cpuBefore };
                output.WriteLine($"  {figure}");
                if (!best.TryGetValue(contender.Name, out var previous) || figure.RecordsPerSecond > previous.RecordsPerSecond)
                {
                    best[contender.Name] = figure;
                }
            }
        }

        output.WriteLine($"best of {Rounds} interleaved rounds:");
        foreach (var contender in contenders)
        {
            output.WriteLine($"  {best[contender.Name]}");
        }

        return best;
    }
}
