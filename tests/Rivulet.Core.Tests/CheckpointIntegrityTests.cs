using System.Collections.Concurrent;
using Rivulet.Core.Api.Functions;
using Rivulet.Core.Checkpointing;
using Rivulet.Core.Recovery;

namespace Rivulet.Core.Tests;

/// <summary>
/// One truth about checkpoints: a checkpoint is complete exactly when its <c>_metadata</c> is in
/// place, for the job that wrote it and for any process that restores later; and a checkpoint
/// whose files were damaged is refused, naming the file, instead of being restored wrongly.
/// </summary>
public sealed class CheckpointIntegrityTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_checkpoint_whose_metadata_is_in_place_is_complete_even_when_flushing_its_directory_and_pruning_then_fail()
    {
        var directory = TestEnvironments.TempDirectory();
        var notified = new ConcurrentQueue<long>();
        var env = TestEnvironments.WithCheckpoints(directory, parallelism: 1, intervalMs: 20).SetRestartStrategy(RestartStrategy.None());
        env.CheckpointConfig.NumberOfRetainedCheckpoints = 1;
        env.OpenCheckpointStorage = root => new CheckpointStorage(root)
        {
            FlushDirectory = dir => throw new IOException($"flushing {dir} failed (injected)"),
            DeleteDirectory = dir => throw new UnauthorizedAccessException($"deleting {dir} failed (injected)"),
        };
        env.AddSource(new CountingSource(1_000_000, recordsPerYield: 10)).AddSink(new NotifiedSink(notified));

        var job = env.Start("one-truth");
        await Wait.UntilAsync(() => notified.Count >= 4 || job.Completion.IsCompleted, Deadline, "four checkpoints to complete");
        await job.CancelAsync();

        Assert.False(job.Completion.IsFaulted, job.Completion.Exception?.ToString());
        Assert.Equal(0, job.Metrics.CheckpointsFailed);
        // Every checkpoint on disk (none could be pruned) is one the job counted complete and told its functions about.
        var onDisk = new CheckpointStorage(directory).ListCompleted().Select(c => c.CheckpointId).ToList();
        Assert.True(onDisk.Count >= 4, $"expected the unprunable checkpoints to stay, found {onDisk.Count}");
        Assert.All(onDisk, id => Assert.Contains(id, notified));
        Assert.Equal(onDisk.Max(), job.LastCompletedCheckpoint!.CheckpointId);
    }

    [Theory]
    [InlineData("truncated")]
    [InlineData("changed")]
    [InlineData("missing")]
    public async Task A_damaged_state_file_is_refused_naming_it_and_the_job_fails_at_once(string damage)
    {
        var (directory, latest) = await RunUntilCheckpointedAsync("damaged", checkpoints: 2);
        var stateFile = Directory.GetFiles(latest.Directory, "source-0.state").Single();
        var bytes = await File.ReadAllBytesAsync(stateFile, TestContext.Current.CancellationToken);
        switch (damage)
        {
            case "truncated":
                await File.WriteAllBytesAsync(stateFile, bytes[..(bytes.Length / 2)], TestContext.Current.CancellationToken);
                break;
            case "changed":
                bytes[^1] ^= 0xFF;
                await File.WriteAllBytesAsync(stateFile, bytes, TestContext.Current.CancellationToken);
                break;
            default:
                File.Delete(stateFile);
                break;
        }

        // Restarts forever if allowed: a damaged checkpoint must fail the job at once anyway.
        var second = TestEnvironments.WithCheckpoints(directory, parallelism: 1, intervalMs: 20)
            .SetResumeFromLatestCheckpoint()
            .SetRestartStrategy(RestartStrategy.FixedDelay(int.MaxValue, TimeSpan.FromMilliseconds(10)));
        second.AddSource(new CountingSource(1_000_000, recordsPerYield: 10)).Uid("source").AddSink(_ => { });
        var restored = second.Start("damaged");
        var failure = await Assert.ThrowsAsync<CorruptCheckpointException>(() => restored.Completion.WaitAsync(Deadline, TestContext.Current.CancellationToken));

        Assert.Contains(stateFile, failure.Message, StringComparison.Ordinal);
        Assert.Contains(damage switch { "truncated" => "truncated", "changed" => "damaged", _ => "cannot be read" }, failure.Message, StringComparison.Ordinal);
        Assert.Contains("does not fall back to another checkpoint on its own", failure.Message, StringComparison.Ordinal);
        Assert.Equal(0, restored.Metrics.Restarts);
    }

    [Fact]
    public async Task A_damaged_metadata_file_is_refused_naming_it()
    {
        var (directory, latest) = await RunUntilCheckpointedAsync("damaged-metadata", checkpoints: 1);
        var text = await File.ReadAllTextAsync(latest.MetadataPath, TestContext.Current.CancellationToken);
        await File.WriteAllTextAsync(latest.MetadataPath, text[..(text.Length / 2)], TestContext.Current.CancellationToken);

        var second = TestEnvironments.WithCheckpoints(directory, parallelism: 1, intervalMs: 20).SetResumeFromLatestCheckpoint();
        second.AddSource(new CountingSource(1_000_000, recordsPerYield: 10)).AddSink(_ => { });
        var restored = second.Start("damaged-metadata");
        var failure = await Assert.ThrowsAsync<CorruptCheckpointException>(() => restored.Completion.WaitAsync(Deadline, TestContext.Current.CancellationToken));

        Assert.Contains(latest.MetadataPath, failure.Message, StringComparison.Ordinal);
        Assert.Contains("is damaged", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_start_that_would_ignore_the_jobs_completed_checkpoints_is_refused_unless_asked_for()
    {
        var (directory, latest) = await RunUntilCheckpointedAsync("same-job", checkpoints: 1);

        var fresh = TestEnvironments.WithCheckpoints(directory, parallelism: 1, intervalMs: 20);
        fresh.AddSource(new CountingSource(10)).AddSink(_ => { });
        var refused = Assert.Throws<InvalidOperationException>(() => fresh.Start("same-job"));
        Assert.Contains($"holds its completed checkpoint {latest.CheckpointId}", refused.Message, StringComparison.Ordinal);
        Assert.Contains("SetResumeFromLatestCheckpoint()", refused.Message, StringComparison.Ordinal);
        Assert.Contains("SetIgnoreExistingCheckpoints()", refused.Message, StringComparison.Ordinal);

        // Another job's checkpoints there, an explicit start over, or a resume: all start.
        await fresh.Start("another-job").CancelAsync();
        await fresh.SetIgnoreExistingCheckpoints().Start("same-job").CancelAsync();
        var resumed = TestEnvironments.WithCheckpoints(directory, parallelism: 1, intervalMs: 20).SetResumeFromLatestCheckpoint();
        resumed.AddSource(new CountingSource(10)).AddSink(_ => { });
        await resumed.Start("same-job").CancelAsync();
    }

    /// <summary>Runs job <paramref name="name"/> in a new checkpoint directory until it completed that many checkpoints; returns the directory and its latest checkpoint.</summary>
    private static async Task<(string Directory, CompletedCheckpoint Latest)> RunUntilCheckpointedAsync(string name, int checkpoints)
    {
        var directory = TestEnvironments.TempDirectory();
        var env = TestEnvironments.WithCheckpoints(directory, parallelism: 1, intervalMs: 20);
        env.AddSource(new CountingSource(1_000_000, recordsPerYield: 10)).Uid("source").AddSink(_ => { });
        var run = env.Start(name);
        await Wait.UntilAsync(() => run.Metrics.CheckpointsCompleted >= checkpoints, Deadline, $"{checkpoints} checkpoint(s)");
        await run.CancelAsync();
        return (directory, new CheckpointStorage(directory).FindLatestCompleted()!);
    }

    /// <summary>Records which checkpoints it was told are complete.</summary>
    private sealed class NotifiedSink(ConcurrentQueue<long> notified) : ISinkFunction<long>, ICheckpointListener
    {
        public void Invoke(long value, ISinkContext context)
        {
        }

        public void NotifyCheckpointComplete(long checkpointId) => notified.Enqueue(checkpointId);
    }
}
