namespace Rivulet.Benchmarks;

/// <summary>
/// Runs contenders in alternation, round after round (in the given order, then reversed, and so
/// on), and keeps every figure. The machine is shared and noisy: alternating spreads a noisy
/// moment over all contenders instead of one, the best of several runs is the one least disturbed
/// by others, and neighbours in the list run next to each other in every round, so a comparison
/// of two of them can be made round by round.
/// </summary>
internal sealed class InterleavedRounds(int rounds, TextWriter output)
{
    public async Task<RoundResults> RunAsync(IReadOnlyList<Contender> contenders, CancellationToken cancellationToken)
    {
        var figures = contenders.ToDictionary(c => c.Name, _ => new List<BenchmarkFigure>(), StringComparer.Ordinal);
        for (var round = 1; round <= rounds; round++)
        {
            output.WriteLine($"round {round}/{rounds}");

            // Reversing every other round cancels out an advantage of running first or second.
            var order = round % 2 == 1 ? contenders : contenders.Reverse();
            foreach (var contender in order)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var cpuBefore = Environment.CpuUsage.TotalTime;
                var figure = await contender.RunAsync(cancellationToken);

                // A run that checks its output afterwards (reading it back) measures its own CPU time.
                figure = figure with { ProcessCpu = figure.ProcessCpu ?? Environment.CpuUsage.TotalTime - cpuBefore };
                output.WriteLine($"  {figure}");
                figures[contender.Name].Add(figure);
            }
        }

        var results = new RoundResults(figures);
        output.WriteLine($"best of {rounds} interleaved rounds:");
        foreach (var contender in contenders)
        {
            output.WriteLine($"  {results.Best(contender.Name)}");
        }

        return results;
    }
}
