using System.Globalization;
using System.Text.RegularExpressions;
using Rivulet.Cli.Chaos;

namespace Rivulet.EndToEnd.Tests;

/// <summary>
/// <c>rivulet chaos</c>, short: two rounds of the exactly-once demo job under random kills
/// (twice in a row during start-up and recovery in every round), broker outages and injected
/// errors, with a new seed each run — printed, so a failure can be replayed.
/// </summary>
[Collection(KilledJobs.Collection)]
public sealed partial class ChaosCommandTests
{
    [Fact]
    public async Task Two_rounds_of_chaos_lose_nothing_duplicate_nothing_and_leave_no_transaction_open()
    {
        using var chaos = ChildProcess.Start("rivulet.dll", "chaos --rounds 2");
        var exitCode = await chaos.WaitForExitAsync(TimeSpan.FromMinutes(6));

        var line = ResultLine().Match(chaos.StandardOutput);
        Assert.True(line.Success, $"no CHAOS line (exit code {exitCode}):\n{chaos.Output}");
        int Field(string name) => int.Parse(line.Groups[name].Value, CultureInfo.InvariantCulture);
        var seed = Field("seed");
        Assert.True(Field("lost") == 0 && Field("duplicated") == 0 && Field("open") == 0 && Field("failed") == 0,
            $"seed {seed} broke exactly-once (replay: ./rivulet chaos --rounds 2 --seed {seed}):\n{chaos.Output}");
        Assert.Equal(2, Field("rounds"));
        Assert.True(Field("recovery_kills") >= 2, $"expected kills during start-up or recovery in every round (seed {seed}):\n{chaos.Output}");
        Assert.True(Field("kills") >= Field("recovery_kills"));
        Assert.True(Field("broker_kills") >= 1 && Field("injected_errors") >= 1, $"expected broker faults (seed {seed}):\n{chaos.Output}");
        Assert.Equal(0, exitCode);
    }

    [Fact]
    public void The_same_seed_draws_the_same_round_and_another_round_draws_another()
    {
        var first = new ChaosRoundPlan(seed: 42, round: 3);
        var again = new ChaosRoundPlan(seed: 42, round: 3);
        var other = new ChaosRoundPlan(seed: 42, round: 4);

        Assert.Equal(first.ToString(), again.ToString());
        Assert.Equal(Enumerable.Range(0, 10).Select(_ => first.NextParallelism()), Enumerable.Range(0, 10).Select(_ => again.NextParallelism()));
        Assert.Equal(Enumerable.Range(0, 10).Select(_ => first.Faults.Next()), Enumerable.Range(0, 10).Select(_ => again.Faults.Next()));
        Assert.NotEqual(first.ToString(), other.ToString());
    }

    [GeneratedRegex(@"CHAOS rounds=(?<rounds>\d+) failed_rounds=(?<failed>\d+) kills=(?<kills>\d+) recovery_kills=(?<recovery_kills>\d+) broker_kills=(?<broker_kills>\d+) injected_errors=(?<injected_errors>\d+) lost=(?<lost>\d+) duplicated=(?<duplicated>\d+) open_transactions=(?<open>\d+) wrong_counts=\d+ seconds=\d+ seed=(?<seed>\d+)")]
    private static partial Regex ResultLine();
}
