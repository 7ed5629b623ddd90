namespace Rivulet.Cluster.Tests;

/// <summary>Checkpoints, savepoints and failures of a job whose subtasks run in several processes.</summary>
public sealed class ClusterRecoveryTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromMinutes(3);

    [Fact]
    public async Task A_savepoint_of_a_cluster_job_restores_at_another_parallelism_on_another_cluster_with_exact_state()
    {
        string savepoint;
        using (var first = new LocalCluster("--records 400000 --keys 10 --per-second 20000 --checkpoint-dir {checkpoints} --checkpoint-ms 200"))
        {
            var savepoints = Path.Combine(first.Root, "savepoint");
            var jobManager = first.StartJobManager($"--savepoint-after-ms 3000 --savepoint-dir {savepoints}");
            first.StartTaskManager();
            first.StartTaskManager();
            Assert.True(await jobManager.WaitForExitAsync(Deadline) == 0, first.Logs());
            foreach (var taskManager in first.TaskManagers)
            {
                Assert.True(await taskManager.WaitForExitAsync(Deadline) == 0, first.Logs());
            }

            Assert.NotEmpty(first.CompletedCheckpoints());
            var line = jobManager.StandardOutput.Split('\n').Single(l => l.StartsWith("SAVEPOINT ", StringComparison.Ordinal));
            Assert.InRange(first.Lines().Values.Sum(l => l.Length), 1, 399_999);

            // Kept beyond the first cluster's directory.
            savepoint = Directory.CreateTempSubdirectory("rivulet-savepoint-").FullName;
            CopyDirectory(line["SAVEPOINT ".Length..].Trim(), savepoint);
        }

        try
        {
            using var second = new LocalCluster($"--records 400000 --keys 10 --parallelism 3 --restore {savepoint} --checkpoint-dir {{checkpoints}}");
            var jobManager = second.StartJobManager();
            for (var i = 0; i < 3; i++)
            {
                second.StartTaskManager();
            }

            Assert.True(await jobManager.WaitForExitAsync(Deadline) == 0, second.Logs());
            Assert.Contains("deploying 6 subtasks to 3 TaskManager(s), restoring checkpoint", jobManager.Output, StringComparison.Ordinal);

            // Every number counted once across both clusters: each key ends at exactly its share.
            AssertEveryKeyCounted(second, 40_000);
        }
        finally
        {
            Directory.Delete(savepoint, recursive: true);
        }
    }

    [Fact]
    public async Task A_TaskManager_killed_with_SIGKILL_is_detected_and_the_job_restarts_from_its_latest_checkpoint_with_exact_state()
    {
        using var cluster = new LocalCluster("--records 300000 --keys 10 --per-second 25000 --checkpoint-dir {checkpoints} --checkpoint-ms 200");
        var jobManager = cluster.StartJobManager();
        var victim = cluster.StartTaskManager();
        cluster.StartTaskManager();
        await WaitUntilAsync(() => cluster.CompletedCheckpoints().Count > 0, "a completed checkpoint", cluster);

        victim.Kill();
        cluster.StartTaskManager(); // the replacement, as a supervisor would start it

        Assert.True(await jobManager.WaitForExitAsync(Deadline) == 0, cluster.Logs());
        Assert.Contains("is unreachable", jobManager.Output, StringComparison.Ordinal);
        Assert.Contains("restarts in", jobManager.Output, StringComparison.Ordinal);

        AssertEveryKeyCounted(cluster, 30_000);
    }

    [Fact]
    public async Task TaskManagers_killed_again_and_again_at_random_moments_also_while_the_job_recovers_leave_the_state_exact()
    {
        using var cluster = new LocalCluster("--records 600000 --keys 10 --per-second 20000 --checkpoint-dir {checkpoints} --checkpoint-ms 200");
        var jobManager = cluster.StartJobManager();
        cluster.StartTaskManager();
        cluster.StartTaskManager();
        await WaitUntilAsync(() => cluster.CompletedCheckpoints().Count > 0, "a completed checkpoint", cluster);

        // Four kills: the first at a random moment of the run, the others soon after the replacement
        // started — while the job waits for slots, redeploys, or restores — in a row.
        var random = new Random(20261202);
        for (var kill = 0; kill < 4; kill++)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(kill == 0 ? random.Next(500, 3000) : random.Next(200, 2500)), TestContext.Current.CancellationToken);
            var alive = cluster.TaskManagers.Where(t => !t.HasExited).ToList();
            alive[random.Next(alive.Count)].Kill();
            cluster.StartTaskManager();
        }

        Assert.True(await jobManager.WaitForExitAsync(Deadline) == 0, cluster.Logs());
        AssertEveryKeyCounted(cluster, 60_000);
    }

    [Fact]
    public async Task Told_to_rescale_a_job_that_lost_a_TaskManager_goes_on_with_the_slots_left_and_exact_state()
    {
        using var cluster = new LocalCluster("--records 300000 --keys 10 --per-second 25000 --checkpoint-dir {checkpoints} --checkpoint-ms 200");
        var jobManager = cluster.StartJobManager("--rivulet-slot-shortage rescale --rivulet-rescale-after-ms 1000");
        var victim = cluster.StartTaskManager();
        cluster.StartTaskManager();
        await WaitUntilAsync(() => cluster.CompletedCheckpoints().Count > 0, "a completed checkpoint", cluster);

        victim.Kill(); // and no replacement comes

        Assert.True(await jobManager.WaitForExitAsync(Deadline) == 0, cluster.Logs());
        Assert.Contains("rescaling to parallelism 1", jobManager.Output, StringComparison.Ordinal);
        Assert.Contains("at parallelism 1 (rescaled)", jobManager.Output, StringComparison.Ordinal);
        AssertEveryKeyCounted(cluster, 30_000);
    }

    /// <summary>Each of the ten keys ends at exactly <paramref name="perKey"/>: every number counted once, none lost, none twice.</summary>
    private static void AssertEveryKeyCounted(LocalCluster cluster, long perKey)
    {
        var counts = cluster.FinalCounts();
        Assert.Equal(10, counts.Count);
        Assert.All(counts.Values, count => Assert.Equal(perKey, count));
    }

    private static async Task WaitUntilAsync(Func<bool> condition, string what, LocalCluster cluster)
    {
        var deadline = DateTime.UtcNow + Deadline;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"no {what} within {Deadline.TotalSeconds} s:\n{cluster.Logs()}");
            await Task.Delay(50, TestContext.Current.CancellationToken);
        }
    }

    private static void CopyDirectory(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }
}
