namespace Rivulet.Cluster.Tests;

/// <summary>The job on a JobManager and TaskManagers that are real processes, talking over TCP on 127.0.0.1.</summary>
public sealed class ClusterJobTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromMinutes(2);

    [Fact]
    public async Task A_job_runs_across_two_TaskManager_processes_with_records_crossing_at_the_keyBy()
    {
        using var cluster = new LocalCluster("--records 20000 --keys 10");
        var jobManager = cluster.StartJobManager();
        var taskManagers = new[] { cluster.StartTaskManager(), cluster.StartTaskManager() };

        Assert.True(await jobManager.WaitForExitAsync(Deadline) == 0, cluster.Logs());
        foreach (var taskManager in taskManagers)
        {
            Assert.True(await taskManager.WaitForExitAsync(Deadline) == 0, cluster.Logs());
        }

        var files = cluster.Lines();
        var lines = files.Values.SelectMany(l => l).ToList();
        Assert.Equal(20_000, lines.Count);
        var finalCounts = lines.Select(l => l.Split(',')).GroupBy(p => p[0]).ToDictionary(g => g.Key, g => g.Max(p => long.Parse(p[1], System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Equal(10, finalCounts.Count);
        Assert.All(finalCounts.Values, count => Assert.Equal(2_000, count));

        // Both TaskManagers ran a sink subtask: the files name two processes.
        Assert.Equal(2, files.Keys.Select(f => f.Split('-')[2]).Distinct().Count());
        Assert.Contains("deploying 4 subtasks to 2 TaskManager(s)", jobManager.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_TaskManager_that_built_another_job_graph_is_refused_naming_the_difference()
    {
        using var cluster = new LocalCluster("--records 0 --keys 10");
        cluster.StartJobManager();
        var stranger = cluster.StartTaskManager("--variant other");

        Assert.True(await stranger.WaitForExitAsync(Deadline) == 1, cluster.Logs());
        Assert.Contains("built another job graph than the JobManager of job 'cluster-test'", stranger.Output, StringComparison.Ordinal);
        Assert.Contains("uid 'count-other'", stranger.Output, StringComparison.Ordinal);
        Assert.Contains("uid 'count'", stranger.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_slow_sink_slows_the_sources_on_the_other_TaskManager_and_memory_stays_bounded()
    {
        // Sinks take 1 ms per record; sources could emit millions per second. Half the records
        // cross to the other process: only backpressure over the data connections holds them.
        using var cluster = new LocalCluster("--records 0 --keys 10 --sink-delay-ms 1");
        cluster.StartJobManager();
        cluster.StartTaskManager();
        cluster.StartTaskManager();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        long processed;
        while ((processed = Latest(cluster, "PROCESSED")) < 8_000)
        {
            Assert.True(DateTime.UtcNow < deadline, $"the sinks did not get going:\n{cluster.Logs()}");
            await Task.Delay(100, TestContext.Current.CancellationToken);
        }

        var emitted = Latest(cluster, "EMITTED");
        Assert.True(emitted - processed < 400_000, $"{emitted} emitted but only {processed} processed: no backpressure across the processes");
        foreach (var taskManager in cluster.TaskManagers)
        {
            Assert.InRange(taskManager.ResidentMegabytes(), 1, 600);
        }
    }

    /// <summary>The sum over all processes and subtasks of the last "WHAT subtask count" line each printed.</summary>
    private static long Latest(LocalCluster cluster, string what) =>
        cluster.TaskManagers.Sum(process => process.StandardOutput.Split('\n')
            .Select(l => l.Trim().Split(' '))
            .Where(p => p.Length == 3 && p[0] == what)
            .GroupBy(p => p[1])
            .Sum(g => long.Parse(g.Last()[2], System.Globalization.CultureInfo.InvariantCulture)));
}
