using Microsoft.Extensions.Time.Testing;
using Rivulet.Core.Api;
using Rivulet.Core.Recovery;

namespace Rivulet.Core.Tests;

/// <summary>
/// The engine schedules by the environment's <see cref="TimeProvider"/>: with a fake clock, an hour
/// between checkpoints or an hour of restart backoff passes as soon as the test says so — and not
/// before, which a test can now step through instead of waiting.
/// </summary>
public sealed class EngineClockTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private readonly string _checkpoints = TestEnvironments.TempDirectory();
    private readonly DateTimeOffset _start;
    private readonly FakeTimeProvider _clock;

    public EngineClockTests()
    {
        _start = DateTimeOffset.UtcNow;
        _clock = new FakeTimeProvider(_start);
    }

    [Fact]
    public async Task Checkpoints_fall_due_by_the_jobs_clock()
    {
        var env = StreamExecutionEnvironment.GetExecutionEnvironment().SetParallelism(1).SetTimeProvider(_clock);
        env.EnableCheckpointing(TimeSpan.FromHours(1));
        env.CheckpointConfig.CheckpointDirectory = _checkpoints;
        env.AddSource(new CountingSource(10)).AddSink(new CollectingSink<long>());
        var job = env.Start("clocked-checkpoints");
        try
        {
            await Wait.UntilAsync(() => Step(() => job.Metrics.CheckpointsCompleted >= 1, TimeSpan.FromMinutes(20)), Timeout, "a checkpoint after an hour of the fake clock");

            Assert.True(_clock.GetUtcNow() - _start >= TimeSpan.FromHours(1), $"a checkpoint completed after {_clock.GetUtcNow() - _start} of the job's clock; the interval is an hour");
            // Completion times come from the job's clock too (to the millisecond).
            var completedAt = Assert.NotNull(job.Metrics.LastCheckpointCompletedAt);
            Assert.InRange(completedAt, _start + TimeSpan.FromHours(1) - TimeSpan.FromMilliseconds(1), _clock.GetUtcNow());
        }
        finally
        {
            await job.CancelAsync();
        }
    }

    [Fact]
    public async Task Restart_backoff_waits_by_the_jobs_clock()
    {
        var output = new CollectingSink<int>();
        var env = StreamExecutionEnvironment.GetExecutionEnvironment().SetParallelism(1).SetTimeProvider(_clock)
            .SetRestartStrategy(RestartStrategy.FixedDelay(3, TimeSpan.FromHours(1)));
        env.FromCollection(Enumerable.Range(0, 5)).Map(new FailOnce<int>(3)).AddSink(output);
        var job = env.Start("clocked-restarts");

        await Wait.UntilAsync(() => job.Metrics.Restarts == 1, Timeout, "the failure and its restart decision");
        await Wait.UntilAsync(() => Step(() => job.Completion.IsCompleted, TimeSpan.FromMinutes(20)), Timeout, "the restarted job to finish after an hour of the fake clock");

        await job.Completion;
        Assert.True(_clock.GetUtcNow() - _start >= TimeSpan.FromHours(1), $"the job restarted after {_clock.GetUtcNow() - _start} of its clock; the backoff is an hour");
        Assert.Equal([0, 1, 2, 3, 4], output.Values.Distinct().Order());
    }

    public void Dispose() => Directory.Delete(_checkpoints, recursive: true);

    /// <summary>Checks <paramref name="done"/>; when it does not hold yet, moves the fake clock on by <paramref name="step"/>.</summary>
    private bool Step(Func<bool> done, TimeSpan step)
    {
        if (done())
        {
            return true;
        }

        _clock.Advance(step);
        return false;
    }
}
