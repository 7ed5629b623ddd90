using Microsoft.Extensions.Time.Testing;
using Rivulet.Core.Api;
using Rivulet.Core.Api.Functions;
using Rivulet.Core.Recovery;
using Rivulet.Core.Tests.EventTime;
using Rivulet.Core.Time.Windows;

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

    [Fact]
    public async Task Processing_time_timers_and_windows_fire_by_the_jobs_clock()
    {
        var reminders = new CollectingSink<(long Key, long RegisteredAt, long FiredAt)>();
        var registered = new System.Collections.Concurrent.ConcurrentQueue<long>();
        var sums = new CollectingSink<long>();
        var env = StreamExecutionEnvironment.GetExecutionEnvironment().SetParallelism(1).SetTimeProvider(_clock);
        var input = env.AddSource(new ScriptedSource<long>(_ => [new SourceStep<long>.Element(1, 0), new SourceStep<long>.Element(2, 0), new SourceStep<long>.Element(3, 0)], keepRunning: true));
        input.KeyBy(v => v % 2).Process(new RemindInAnHour(registered)).AddSink(reminders);
        // Counts the combinations: key 1's records 1 and 3 meet in one window at most once.
        var combined = 0;
        input.KeyBy(v => v % 2).Window(TumblingProcessingTimeWindows.Of(TimeSpan.FromHours(1))).Reduce((a, b) =>
        {
            Interlocked.Increment(ref combined);
            return a + b;
        }).AddSink(sums);
        var job = env.Start("clocked-processing-time");
        try
        {
            // The clock stands still until both keys registered their timers and the window operator
            // combined key 1's two records (its thread runs apart from the timers' one; stepping the
            // clock before it saw record 3 put that record into the next hour's window).
            await Wait.UntilAsync(() => registered.Count == 2 && Volatile.Read(ref combined) == 1, Timeout, "both keys to register a timer and the window to hold 1 + 3");
            Assert.All(registered, at => Assert.Equal(_start.ToUnixTimeMilliseconds(), at));
            Assert.Empty(reminders.Values);

            await Wait.UntilAsync(() => Step(() => reminders.Values.Count >= 2 && sums.Values.Count >= 2, TimeSpan.FromMinutes(20)), Timeout,
                "the timers and windows of an hour of the fake clock");

            Assert.Equal([(0L, _start.ToUnixTimeMilliseconds() + 3_600_000), (1L, _start.ToUnixTimeMilliseconds() + 3_600_000)],
                reminders.Values.Select(r => (r.Key, r.FiredAt)).Order());
            Assert.True(_clock.GetUtcNow() - _start >= TimeSpan.FromHours(1), $"the timers fired after {_clock.GetUtcNow() - _start} of the job's clock");
            Assert.Equal([2L, 4L], sums.Values.Order());
        }
        finally
        {
            await job.CancelAsync();
        }
    }

    public void Dispose() => Directory.Delete(_checkpoints, recursive: true);

    /// <summary>Registers a processing-time timer an hour after the first element of a key; emits when and for what it fired.</summary>
    private sealed class RemindInAnHour(System.Collections.Concurrent.ConcurrentQueue<long> registered) : KeyedProcessFunction<long, long, (long Key, long RegisteredAt, long FiredAt)>, IRichFunction
    {
        private Dictionary<long, long> _registeredAt = [];

        public void Open(IRuntimeContext context) => _registeredAt = [];

        public void Close()
        {
        }

        public override void ProcessElement(long value, Context context, ICollector<(long Key, long RegisteredAt, long FiredAt)> output)
        {
            if (!_registeredAt.ContainsKey(context.CurrentKey))
            {
                var now = context.TimerService.CurrentProcessingTime;
                _registeredAt[context.CurrentKey] = now;
                registered.Enqueue(now);
                context.TimerService.RegisterProcessingTimeTimer(now + 3_600_000);
            }
        }

        public override void OnTimer(long timestamp, OnTimerContext context, ICollector<(long Key, long RegisteredAt, long FiredAt)> output) =>
            output.Collect((context.CurrentKey, _registeredAt[context.CurrentKey], timestamp));
    }

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
