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
        // What the demo printed agrees with its summary: one SIGKILL line per kill, and every
        // process started after a kill resumed from a checkpoint (not from scratch).
        Assert.Equal(summary.Kills, Count(output, "chaos: SIGKILL to job process"));
        Assert.True(Count(output, "demo-job started (resumes from checkpoint ") - Count(output, "demo-job started (resumes from checkpoint none)") >= summary.Kills,
            $"not every restart resumed from a checkpoint:\n{output}");
        // after-checkpoint mode: each killed process had completed a checkpoint, and lived at least the period.
        Assert.Equal(0, summary.KillsBeforeCheckpoint);
        Assert.All(summary.KilledUptimesSeconds, uptime => Assert.True(uptime >= 3.0, $"a process was killed after {uptime} s, before the 3 s period"));
        ExactlyOnceVerdict.AssertHolds(summary, 6000, exitCode);
    }

    [Fact]
    public async Task Kill_mode_any_kills_each_process_at_a_random_moment_around_the_period_and_exactly_once_holds()
    {
        var (exitCode, summary, output) = await RunDemoAsync("--records 5000 --rate 300 --checkpoint-interval 300 --kill-every 2.5 --kill-mode any --semantic exactly-once");

        Assert.Equal("any", summary.KillMode);
        Assert.True(summary.Kills >= 4, $"only {summary.Kills} kills:\n{output}");
        // Uniform in [0.5·S, 1.5·S] after each start (plus one supervision tick), whatever the process did.
        Assert.All(summary.KilledUptimesSeconds, uptime => Assert.InRange(uptime, 1.25, 3.75 + 0.3));
        Assert.True(summary.KilledUptimesSeconds.Max() - summary.KilledUptimesSeconds.Min() > 0.2, "the kill moments should vary");
        Assert.Equal(0, summary.Duplicates);
        Assert.Equal(0, summary.Missing);
        Assert.Equal(0, summary.KeysWithWrongCounts);
        Assert.Equal(0, summary.OpenTransactions);
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

    [Theory]
    [InlineData("demo --kill-every NaN", "--kill-every must be a positive number of seconds")]
    [InlineData("demo --kill-every 1e300", "--kill-every must be a positive number of seconds")]
    [InlineData("demo --kill-mode sometimes", "sometimes")]
    [InlineData("demo --no-such-option", "--no-such-option")]
    [InlineData("demo --records many", "many")]
    [InlineData("chaos --rounds 0", "--rounds must be between 1 and 10000")]
    public async Task A_bad_option_is_answered_with_a_sentence_and_exit_code_2_without_a_stack_trace(string arguments, string named)
    {
        using var cli = ChildProcess.Start("rivulet.dll", arguments);
        var exitCode = await cli.WaitForExitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(2, exitCode);
        Assert.Contains(named, cli.Output);
        Assert.DoesNotContain("   at ", cli.Output);
        Assert.DoesNotContain("Exception", cli.Output);
    }

    [Fact]
    public async Task An_unreachable_cluster_is_answered_with_one_sentence_and_exit_code_3()
    {
        using var cli = ChildProcess.Start("rivulet.dll", "demo --bootstrap-servers 127.0.0.1:1");
        var exitCode = await cli.WaitForExitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(3, exitCode);
        Assert.Contains("rivulet demo: the Kafka cluster did not answer", cli.Output);
        Assert.Contains("127.0.0.1:1", cli.Output);
        Assert.Contains("--verbose", cli.Output);
        Assert.DoesNotContain("   at ", cli.Output);
        // librdkafka's own log lines (%3|…|FAIL|…) must not reach the terminal.
        Assert.DoesNotContain("|FAIL|", cli.Output);

        using var verbose = ChildProcess.Start("rivulet.dll", "demo --bootstrap-servers 127.0.0.1:1 --verbose");
        Assert.Equal(3, await verbose.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        Assert.Contains("   at ", verbose.Output);
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

    private static int Count(string text, string what)
    {
        var count = 0;
        for (var at = text.IndexOf(what, StringComparison.Ordinal); at >= 0; at = text.IndexOf(what, at + what.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
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
