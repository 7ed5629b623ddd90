using System.Collections.Concurrent;
using Rivulet.Core.Api;
using Rivulet.Core.Api.Functions;
using Rivulet.Core.Recovery;

namespace Rivulet.Core.Tests;

/// <summary>How checkpoints are scheduled, numbered and stored.</summary>
public sealed class CheckpointingTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task The_minimum_pause_separates_a_slow_checkpoint_from_the_next()
    {
        // Each checkpoint takes 150 ms in the sink, far above the 10 ms interval: without the pause
        // the next one would start as soon as the last ended.
        var directory = TestEnvironments.TempDirectory();
        var sink = new TimedSnapshotSink(TimeSpan.FromMilliseconds(150));
        var env = TestEnvironments.WithCheckpoints(directory, parallelism: 1, intervalMs: 10);
        env.CheckpointConfig.MinPauseBetweenCheckpoints = TimeSpan.FromMilliseconds(300);
        env.AddSource(new CountingSource(1_000_000, recordsPerYield: 10)).AddSink(sink);

        var job = env.Start("min-pause");
        await Wait.UntilAsync(() => sink.Snapshots.Count >= 4, Deadline, "four checkpoints");
        await job.CancelAsync();

        var snapshots = sink.Snapshots.ToList();
        for (var i = 1; i < snapshots.Count; i++)
        {
            // Triggered at least the pause after the previous one's slow part (which precedes its end).
            var gap = snapshots[i].TriggeredMs - snapshots[i - 1].FinishedMs;
            Assert.True(gap >= 300, $"checkpoint {snapshots[i].Id} was triggered {gap} ms after checkpoint {snapshots[i - 1].Id} ended its snapshot");
        }
    }

    [Fact]
    public async Task A_new_run_in_a_used_checkpoint_directory_checkpoints_above_the_old_ones_and_recovers_from_its_own()
    {
        var directory = TestEnvironments.TempDirectory();
        var firstRun = TestEnvironments.WithCheckpoints(directory, parallelism: 1, intervalMs: 10);
        firstRun.AddSource(new CountingSource(1_000_000, recordsPerYield: 10)).AddSink(_ => { });
        var first = firstRun.Start("earlier-run");
        await Wait.UntilAsync(() => first.Metrics.CheckpointsCompleted >= 8, Deadline, "the earlier run's checkpoints");
        await first.CancelAsync();
        var earlierLatest = first.LastCompletedCheckpoint!.CheckpointId;

        // A fresh run (no resume) in the same directory, failing once after its first checkpoints.
        var committed = new ConcurrentQueue<KeyValuePair<string, long>>();
        var secondRun = TestEnvironments.WithCheckpoints(directory, parallelism: 1, intervalMs: 10)
            .SetRestartStrategy(RestartStrategy.FixedDelay(2, TimeSpan.FromMilliseconds(10)));
        secondRun.AddSource(new CountingSource(3_000, recordsPerYield: 10, pause: TimeSpan.FromMilliseconds(1)))
            .Map(new FailOnce<long>(2_000))
            .KeyBy(v => $"k{v % 10}").Sum(v => v)
            .AddSink(new CommittingSink<KeyValuePair<string, long>>(committed));
        var second = secondRun.Start("later-run");
        await Wait.UntilAsync(() => committed.Count >= 3_000 || second.Completion.IsCompleted, Deadline, "all 3000 results committed");
        await second.CancelAsync();

        Assert.False(second.Completion.IsFaulted, second.Completion.Exception?.ToString());
        Assert.Equal(1, second.Metrics.Restarts);
        Assert.True(second.LastCompletedCheckpoint!.CheckpointId > earlierLatest, "the new run numbers its checkpoints above the old ones");
        Assert.Equal(3_000, committed.Count);
        var expected = Enumerable.Range(0, 3_000).GroupBy(v => $"k{v % 10}").ToDictionary(g => g.Key, g => g.Sum(v => (long)v));
        Assert.Equal(expected.OrderBy(kv => kv.Key), FaultToleranceTests.FinalSums(committed).OrderBy(kv => kv.Key));
    }

    [Fact]
    public async Task A_checkpoint_whose_state_cannot_be_written_fails_alone_and_the_job_goes_on()
    {
        // A file where checkpoint 2's directory belongs: writing its state fails with an I/O error.
        var directory = TestEnvironments.TempDirectory();
        await File.WriteAllTextAsync(Path.Combine(directory, "chk-2"), "in the way", TestContext.Current.CancellationToken);
        var env = TestEnvironments.WithCheckpoints(directory, parallelism: 1, intervalMs: 10).SetRestartStrategy(RestartStrategy.None());
        env.CheckpointConfig.TolerableCheckpointFailureNumber = 1;
        env.AddSource(new CountingSource(1_000_000, recordsPerYield: 10)).AddSink(_ => { });

        var job = env.Start("declined");
        await Wait.UntilAsync(() => job.Metrics.CheckpointsCompleted >= 3 || job.Completion.IsCompleted, Deadline, "checkpoints after the failed one");
        await job.CancelAsync();

        Assert.False(job.Completion.IsFaulted, job.Completion.Exception?.ToString());
        Assert.Equal(1, job.Metrics.CheckpointsFailed);
        Assert.Equal(0, job.Metrics.Restarts);
    }

    [Fact]
    public async Task The_job_handle_reports_its_id_and_latest_checkpoint()
    {
        var directory = TestEnvironments.TempDirectory();
        var env = TestEnvironments.WithCheckpoints(directory, parallelism: 1, intervalMs: 10);
        env.AddSource(new CountingSource(1_000_000, recordsPerYield: 10)).AddSink(_ => { });

        var job = env.Start("handle");
        Assert.NotEqual(Guid.Empty, job.JobId);
        Assert.Null(job.LastCompletedCheckpoint);
        await Wait.UntilAsync(() => job.Metrics.CheckpointsCompleted >= 2, Deadline, "two checkpoints");
        await job.CancelAsync();

        // Read after the cancel: while the job runs, a newer checkpoint may complete at any moment
        // and the one read before it be deleted as no longer retained.
        var latest = job.LastCompletedCheckpoint;

        Assert.NotNull(latest);
        Assert.True(File.Exists(Path.Combine(latest.Directory, "_metadata")));
        Assert.StartsWith(Path.GetFullPath(directory), latest.Directory);
    }

    /// <summary>Snapshots slowly and records, per checkpoint, its trigger time and when its snapshot ended.</summary>
    private sealed class TimedSnapshotSink(TimeSpan snapshotTime) : ISinkFunction<long>, ICheckpointedFunction
    {
        public ConcurrentQueue<(long Id, long TriggeredMs, long FinishedMs)> Snapshots { get; } = new();

        public void Invoke(long value, ISinkContext context)
        {
        }

        public void SnapshotState(IFunctionSnapshotContext context)
        {
            Thread.Sleep(snapshotTime);
            Snapshots.Enqueue((context.CheckpointId, context.CheckpointTimestamp, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()));
        }

        public void InitializeState(IFunctionInitializationContext context)
        {
        }
    }
}
