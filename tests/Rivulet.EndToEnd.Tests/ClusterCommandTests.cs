using System.Text.Json;
using System.Text.RegularExpressions;
using Rivulet.Cli.Demo;

namespace Rivulet.EndToEnd.Tests;

/// <summary>
/// <c>rivulet demo --cluster N</c> and <c>rivulet cluster</c> as a user runs them: a JobManager and
/// TaskManager processes on 127.0.0.1 running the demo job, TaskManagers SIGKILLed at random,
/// judged by the demo's read_committed verdict and, for the cluster alone, by kcat.
/// </summary>
[Collection(KilledJobs.Collection)]
public sealed partial class ClusterCommandTests
{
    private static readonly TimeSpan RunTimeout = TimeSpan.FromSeconds(180);

    [Fact]
    public async Task Demo_on_a_cluster_keeps_exactly_once_while_TaskManagers_are_killed()
    {
        // 40 s of input; a TaskManager is killed 2 s after the job recovered from the previous kill
        // (recovery takes the 3 s failure detection, a new TaskManager process and the sink's
        // fencing: about 8 s here), so several kills land while input arrives, and the job restarts
        // from a checkpoint each time.
        var summaryPath = Path.Combine(Directory.CreateTempSubdirectory("rivulet-cluster-demo-test-").FullName, "summary.json");
        using var demo = ChildProcess.Start("rivulet.dll",
            $"demo --cluster 2 --records 10000 --rate 250 --checkpoint-interval 500 --kill-every 2 --summary-json {summaryPath}");
        var exitCode = await demo.WaitForExitAsync(RunTimeout);
        Assert.True(File.Exists(summaryPath), $"no summary was written (exit code {exitCode}):\n{demo.Output}");
        var summary = DemoSummary.ReadJson(summaryPath);
        var output = demo.Output;

        Assert.Equal(2, summary.TaskManagers);
        Assert.True(summary.TaskManagerKills >= 3, $"only {summary.TaskManagerKills} TaskManager kills:\n{output}");
        Assert.Equal(summary.Kills, summary.TaskManagerKills);
        Assert.Equal(summary.Kills, Regex.Count(output, "chaos: SIGKILL to TaskManager process"));
        Assert.True(summary.KillTimesSeconds[1] < summary.InputWrittenSeconds, $"fewer than two kills came while input was written:\n{output}");
        // Every kill made the JobManager restart the job from a checkpoint (the last kill may come as the run ends).
        Assert.True(summary.Restarts >= summary.Kills - 1, $"{summary.Restarts} restarts for {summary.Kills} kills:\n{output}");
        Assert.Equal(0, summary.KillsBeforeCheckpoint);
        ExactlyOnceVerdict.AssertHolds(summary, 10000, exitCode);
        using var json = JsonDocument.Parse(await File.ReadAllTextAsync(summaryPath, TestContext.Current.CancellationToken));
        Assert.Equal(summary.TaskManagerKills, json.RootElement.GetProperty("taskmanager_kills").GetInt32());
        Assert.Contains("taskmanagers 2/2 up, 2 slots", output);
    }

    [Fact]
    public async Task Cluster_runs_the_demo_job_until_SIGTERM_and_leaves_no_process_behind()
    {
        using var cluster = ChildProcess.Start("rivulet.dll", "cluster --taskmanagers 2");
        await Wait.UntilAsync(() => cluster.Output.Contains("completed its first checkpoint", StringComparison.Ordinal), TimeSpan.FromSeconds(90),
            "the cluster's first checkpoint", cluster);
        var bootstrap = Bootstrap().Match(cluster.Output).Groups[1].Value;
        var pids = ProcessIds().Matches(cluster.Output).Select(m => int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(3, pids.Count);

        // Written and read back by kcat, an independent client: 30 records over 3 keys come out counted per key.
        var input = string.Concat(Enumerable.Range(0, 30).Select(i => $"k{i % 3}:{i}\n"));
        var (produced, _, produceError) = await Kcat.RunAsync($"-b {bootstrap} -P -t {DemoSettings.InputTopic} -K:", input);
        Assert.True(produced == 0, produceError);
        var lines = Array.Empty<string>();
        await Wait.UntilAsync(() =>
        {
            var (_, read, _) = Kcat.RunAsync($"-b {bootstrap} -C -t {DemoSettings.OutputTopic} -X isolation.level=read_committed -K: -f \"%k %s\\n\" -e").GetAwaiter().GetResult();
            lines = read.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            return lines.Length >= 30;
        }, TimeSpan.FromSeconds(60), "30 committed output records", cluster);
        Assert.Equal(30, lines.Length);
        foreach (var key in new[] { "k0", "k1", "k2" })
        {
            var counts = lines.Where(l => l.StartsWith(key + " ", StringComparison.Ordinal)).Select(l => long.Parse(l.Split(':')[1], System.Globalization.CultureInfo.InvariantCulture));
            Assert.Equal(Enumerable.Range(1, 10).Select(c => (long)c), counts.Order());
        }

        cluster.Terminate();
        var exitCode = await cluster.WaitForExitAsync(TimeSpan.FromSeconds(60));
        Assert.True(exitCode == 0, $"exit code {exitCode}:\n{cluster.Output}");
        Assert.Contains("cluster: stopped", cluster.Output);
        Assert.All(pids, pid => Assert.False(Directory.Exists($"/proc/{pid}"), $"process {pid} of the cluster outlived it"));
    }

    [GeneratedRegex(@"kcat -b (\S+) -P")]
    private static partial Regex Bootstrap();

    [GeneratedRegex(@"cluster: started (?:the JobManager|TaskManager \d+), process (\d+)")]
    private static partial Regex ProcessIds();
}
