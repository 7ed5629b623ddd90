using Rivulet.Core.Api;

namespace Rivulet.Core.Tests;

public sealed class CancellationTests
{
    [Fact]
    public async Task A_cancelled_job_completes_as_cancelled_once_its_subtasks_stopped()
    {
        var env = StreamExecutionEnvironment.GetExecutionEnvironment().SetParallelism(2);
        var sink = new CollectingSink<long>();
        env.AddSource(new CountingSource(long.MaxValue)).SetParallelism(1)
            .Rebalance()
            .Map(v => v)
            .AddSink(sink);

        var job = env.Start("cancelled");
        await Wait.UntilAsync(() => !sink.Values.IsEmpty, TimeSpan.FromSeconds(30), "the first records");
        await job.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => job.Completion.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task ExecuteAsync_returns_when_its_token_cancels_the_job()
    {
        var env = StreamExecutionEnvironment.GetExecutionEnvironment().SetParallelism(1);
        var sink = new CollectingSink<long>();
        env.AddSource(new CountingSource(long.MaxValue)).AddSink(sink);
        using var stop = new CancellationTokenSource();

        var execution = env.ExecuteAsync("cancelled", stop.Token);
        await Wait.UntilAsync(() => !sink.Values.IsEmpty, TimeSpan.FromSeconds(30), "the first records");
        await stop.CancelAsync();

        var job = await execution.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
        Assert.True(job.Completion.IsCanceled);
    }
}
