using Rivulet.Cli.Demo;

namespace Rivulet.EndToEnd.Tests;

/// <summary>
/// <c>rivulet demo</c> as a user runs it — its own embedded test broker, the job in a child
/// process SIGKILLed every few seconds and restarted — judged by the summary it writes and its
/// exit code.
/// </summary>
[Collection(KilledJobs.Collection)]
public sealed class DemoCommandTests
{
    // 20 s of input at 300 records/s, checkpoints every 500 ms and a kill 3 s after each start of
    // the job: at least five kills land while input is still arriving.
    private const string ChaosRun = "--records 6000 --rate 300 --checkpoint-interval 500 --kill-every 3";
    private static readonly TimeSpan RunTimeout = TimeSpan.FromSeconds(150);

    [Fact]
    public async Task Exactly_once_holds_across_at_least_five_kills()
    {
        var (exitCode, summary, output) = await RunDemoAsync($"{ChaosRun} --semantic exactly-once");

        Assert.True(summary.Kills >= 5, $"only {summary.Kills} kills:\n{output}");
        Assert.True(summary.KillTimesSeconds[0] < summary.InputWrittenSeconds, $"the first kill came after all input was written:\n{output}");
        Assert.Equal(summary.Kills, summary.KillTimesSeconds.Count);
        Assert.Equal(6000, summary.RecordsIn);
        Assert.Equal(6000, summary.RecordsOut);
        Assert.Equal(0, summary.Duplicates);
        Assert.Equal(0, summary.Missing);
        Assert.Equal(0, summary.KeysWithWrongCounts);
        Assert.Equal(0, summary.OpenTransactions);
        Assert.True(summary.Restarts >= summary.Kills);
        Assert.Equal("pass", summary.Verdict);
        Assert.Equal(0, exitCode);
    }

    [Fact]
    public async Task At_least_once_loses_nothing_across_kills()
    {
        var (exitCode, summary, output) = await RunDemoAsync($"{ChaosRun} --semantic at-least-once");

        Assert.True(summary.Kills >= 5, $"only {summary.Kills} kills:\n{output}");
        Assert.Equal(0, summary.Missing);
        Assert.Equal(6000, summary.Distinct);
        Assert.True(summary.RecordsOut >= 6000);
        Assert.Equal("pass", summary.Verdict);
        Assert.Equal(0, exitCode);
    }

    [Fact]
    public async Task Bad_options_are_refused_naming_them()
    {
        using var demo = ChildProcess.Start("rivulet.dll", "demo --records 0 --kill-every -1 --checkpoint-interval 5");
        var exitCode = await demo.WaitForExitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(2, exitCode);
        Assert.Contains("--records must be at least 1", demo.Output);
        Assert.Contains("--kill-every must be a positive number of seconds", demo.Output);
        Assert.Contains("--checkpoint-interval must be at least 10 ms", demo.Output);
    }

    private static async Task<(int ExitCode, DemoSummary Summary, string Output)> RunDemoAsync(string options)
    {
        var summaryPath = Path.Combine(Directory.CreateTempSubdirectory("rivulet-demo-test-").FullName, "summary.json");
        using var demo = ChildProcess.Start("rivulet.dll", $"demo {options} --summary-json {summaryPath}");
        var exitCode = await demo.WaitForExitAsync(RunTimeout);
        Assert.True(File.Exists(summaryPath), $"no summary was written (exit code {exitCode}):\n{demo.Output}");
        return (exitCode, DemoSummary.ReadJson(summaryPath), demo.Output);
    }
}
