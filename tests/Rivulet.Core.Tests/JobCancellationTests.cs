using Rivulet.Core.Api;

namespace Rivulet.Core.Tests;

/// <summary>Cancelling a running job ends it: its completion is cancelled, it does not hang.</summary>
public sealed class JobCancellationTests
{
    [Fact]
    public async Task Cancelling_a_running_job_completes_it_as_cancelled()
    {
        var sink = new CollectingSink<long>();
        var env = TestEnvironments.WithCheckpoints(TestEnvironments.TempDirectory(), parallelism: 2);
        env.AddSource(new CountingSource(1_000)).SetParallelism(1).Rebalance().Map(v => v + 1).AddSink(sink);
        var job = env.Start("cancel-running");
        await Wait.UntilAsync(() => sink.Values.Count >= 1_000 && job.Metrics.CheckpointsCompleted > 0, TimeSpan.FromSeconds(30), "the job running with a checkpoint");

        await job.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => job.Completion.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken));
        Assert.True(job.Completion.IsCanceled);
    }

    [Fact]
    public async Task ExecuteAsync_returns_when_its_token_is_cancelled()
    {
        var sink = new CollectingSink<long>();
        var env = StreamExecutionEnvironment.GetExecutionEnvironment().SetParallelism(1);
        env.AddSource(new CountingSource(100)).AddSink(sink);
        using var stop = new CancellationTokenSource();
        var execution = env.ExecuteAsync("cancel-execute", stop.Token);
        await Wait.UntilAsync(() => sink.Values.Count >= 100, TimeSpan.FromSeconds(30), "the job running");

        await stop.CancelAsync();

        var job = await execution.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
        Assert.True(job.Completion.IsCanceled);
    }
}
