using System.Collections.Concurrent;
using Rivulet.Core.Api;
using Rivulet.Core.Api.Functions;
using Rivulet.Core.Recovery;
using Rivulet.Core.State;
using Rivulet.Core.Time;

namespace Rivulet.Core.Tests.EventTime;

public sealed class TimerTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task The_watermark_of_an_operator_is_the_minimum_over_its_inputs()
    {
        // Input A promises 1000, input B only 200: a timer at 100 fires (seeing 200, not 1000); a
        // timer at 500 waits until B moves on to 2000, and then sees A's 1000.
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var fired = new CollectingSink<(long Timer, long Watermark)>();
        var env = StreamExecutionEnvironment.GetExecutionEnvironment().SetParallelism(1);
        var a = env.AddSource(new ScriptedSource<long>(_ => [new SourceStep<long>.Element(100, 100), new SourceStep<long>.Watermark(1_000)], keepRunning: true)).Name("A");
        var b = env.AddSource(new ScriptedSource<long>(_ =>
        [
            new SourceStep<long>.Element(500, 500),
            new SourceStep<long>.Watermark(200),
            new SourceStep<long>.WaitFor(gate),
            new SourceStep<long>.Watermark(2_000),
        ], keepRunning: true)).Name("B");
        a.Union(b).KeyBy(v => v).Process(new TimerAtElementTimestamp()).AddSink(fired);

        var job = env.Start("watermark-minimum");
        await Wait.UntilAsync(() => !fired.Values.IsEmpty || job.Completion.IsCompleted, Deadline, "the timer at 100");
        Assert.Equal([(100L, 200L)], fired.Values.ToList());

        gate.SetResult();
        await Wait.UntilAsync(() => fired.Values.Count >= 2 || job.Completion.IsCompleted, Deadline, "the timer at 500");
        await job.CancelAsync();
        Assert.Equal([(100L, 200L), (500L, 1_000L)], fired.Values.ToList());
    }

    [Fact]
    public async Task Event_and_processing_time_timers_fire_exactly_once_across_failures_and_restores()
    {
        const int Count = 3_000;
        var directory = TestEnvironments.TempDirectory();
        var committed = new ConcurrentQueue<string>();
        var env = TestEnvironments.WithCheckpoints(directory, parallelism: 2, intervalMs: 30)
            .SetRestartStrategy(RestartStrategy.FixedDelay(5, TimeSpan.FromMilliseconds(10)));
        env.AddSource(new TimestampedCountingSource(Count)).SetParallelism(1)
            .Map(new FailOnce<long>(700, 1_900, 2_600))
            .KeyBy(v => v % 7)
            .Process(new TimersPerElement())
            .AddSink(new CommittingSink<string>(committed));

        var job = env.Start("timers-exactly-once");
        await Wait.UntilAsync(() => committed.Count >= 2 * Count || job.Completion.IsFaulted, Deadline, "every timer's output committed");
        await job.CancelAsync();

        Assert.False(job.Completion.IsFaulted, job.Completion.Exception?.ToString());
        Assert.Equal(3, job.Metrics.Restarts);
        var expected = Enumerable.Range(0, Count).SelectMany(i => new[] { $"event {i}", $"processing {i}" }).Order();
        Assert.Equal(expected, committed.Order());
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public async Task Timers_move_with_their_keys_when_a_savepoint_is_restored_at_another_parallelism(int newParallelism)
    {
        const int Keys = 50;
        var directory = TestEnvironments.TempDirectory();
        var registered = new CollectingSink<string>();
        var first = TestEnvironments.WithCheckpoints(directory, parallelism: 2, intervalMs: 1_000_000);
        // Elements at 1000..1049 register event-time timers there; the watermark stays below them.
        first.AddSource(new ScriptedSource<long>(_ => Enumerable.Range(0, Keys).Select(k => new SourceStep<long>.Element(k, 1_000 + k)), keepRunning: true))
            .SetParallelism(1).Uid("source")
            .KeyBy(v => v).Process(new TimerAtElementTimestamp(announce: true)).Uid("timers")
            .Map(t => $"{t.Timer}").AddSink(registered).Uid("sink");
        var job = first.Start("timers-before");
        await Wait.UntilAsync(() => registered.Values.Count >= Keys || job.Completion.IsCompleted, Deadline, "every key's timer registered");
        var savepoint = await job.TriggerSavepointAsync(Path.Combine(directory, "savepoint"));
        await job.CancelAsync();
        Assert.All(registered.Values, v => Assert.StartsWith("-", v));

        var fired = new CollectingSink<string>();
        var second = TestEnvironments.WithCheckpoints(directory, parallelism: newParallelism, intervalMs: 1_000_000).SetStateRestorePath(savepoint.Directory);
        second.AddSource(new ScriptedSource<long>(_ => [new SourceStep<long>.Watermark(5_000)], keepRunning: true))
            .SetParallelism(1).Uid("source")
            .KeyBy(v => v).Process(new TimerAtElementTimestamp(announce: true)).Uid("timers")
            .Map(t => $"{t.Timer}").AddSink(fired).Uid("sink");
        var restored = second.Start("timers-after");
        await Wait.UntilAsync(() => fired.Values.Count >= Keys || restored.Completion.IsCompleted, Deadline, "every restored timer to fire");
        await restored.CancelAsync();

        Assert.Equal(Enumerable.Range(0, Keys).Select(k => $"{1_000 + k}").Order(), fired.Values.Order());
    }

    /// <summary>
    /// Registers an event-time timer at each element's timestamp; when it fires, emits the timer's
    /// time and the watermark that fired it. With <c>announce</c>, also emits (-time, watermark) at registration.
    /// </summary>
    private sealed class TimerAtElementTimestamp(bool announce = false) : KeyedProcessFunction<long, long, (long Timer, long Watermark)>
    {
        public override void ProcessElement(long value, Context context, ICollector<(long Timer, long Watermark)> output)
        {
            context.TimerService.RegisterEventTimeTimer(context.Timestamp!.Value);
            if (announce)
            {
                output.Collect((-context.Timestamp.Value, context.TimerService.CurrentWatermark));
            }
        }

        public override void OnTimer(long timestamp, OnTimerContext context, ICollector<(long Timer, long Watermark)> output)
        {
            Assert.Equal(TimeDomain.EventTime, context.TimeDomain);
            Assert.Equal(timestamp, context.Timestamp);
            output.Collect((timestamp, context.TimerService.CurrentWatermark));
        }
    }

    /// <summary>
    /// Per element i: an event-time timer at its timestamp + 1 s that emits "event i" (the timer's
    /// time names the element), and a processing-time timer 5 ms ahead that emits "processing j"
    /// for every element j of the key still waiting in keyed state.
    /// </summary>
    private sealed class TimersPerElement : KeyedProcessFunction<long, long, string>, IRichFunction
    {
        private IListState<long>? _waiting;

        public void Open(IRuntimeContext context) => _waiting = context.GetListState(new ListStateDescriptor<long>("waiting"));

        public void Close()
        {
        }

        public override void ProcessElement(long value, Context context, ICollector<string> output)
        {
            context.TimerService.RegisterEventTimeTimer(context.Timestamp!.Value + 1_000);
            _waiting!.Add(value);
            context.TimerService.RegisterProcessingTimeTimer(context.TimerService.CurrentProcessingTime + 5);
        }

        public override void OnTimer(long timestamp, OnTimerContext context, ICollector<string> output)
        {
            if (context.TimeDomain == TimeDomain.EventTime)
            {
                output.Collect($"event {(timestamp - 1_000) / 10}");
                return;
            }

            foreach (var waiting in _waiting!.Get())
            {
                output.Collect($"processing {waiting}");
            }

            _waiting.Clear();
        }
    }

    /// <summary>0..count-1 with timestamps i·10 and a watermark behind them; then the final watermark, then idles. Checkpoints its position.</summary>
    private sealed class TimestampedCountingSource(long count) : ISourceFunction<long>, ICheckpointedFunction
    {
        private IListState<long>? _state;
        private long _next;

        public async Task RunAsync(ISourceContext<long> context, CancellationToken cancellationToken)
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                for (var i = 0; i < 50 && _next < count; i++)
                {
                    context.CollectWithTimestamp(_next, _next * 10);
                    _next++;
                }

                context.EmitWatermark(_next >= count ? long.MaxValue : (_next * 10) - 1);
                context.YieldToRuntime();
                await Task.Delay(1, cancellationToken).ConfigureAwait(false);
            }
        }

        public void SnapshotState(IFunctionSnapshotContext context) => _state!.Update([_next]);

        public void InitializeState(IFunctionInitializationContext context)
        {
            _state = context.OperatorStateStore.GetListState(new ListStateDescriptor<long>("next"));
            _next = _state.Get().DefaultIfEmpty(0).Max();
        }
    }
}
