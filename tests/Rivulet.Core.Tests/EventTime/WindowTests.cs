using System.Collections.Concurrent;
using Rivulet.Core.Api;
using Rivulet.Core.Time;
using Rivulet.Core.Time.Windows;

namespace Rivulet.Core.Tests.EventTime;

public sealed class WindowTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Out_of_order_input_gives_exact_tumbling_window_counts()
    {
        // Timestamps up to 3 s out of order; the watermark trails the highest timestamp by 3 s, so
        // no element is late and every window counts exactly what belongs to it.
        var random = new Random(7);
        var events = Enumerable.Range(0, 2_000)
            .Select(i => (Key: $"k{i % 5}", Timestamp: i * 37L))
            .Select(e => (e.Key, Timestamp: Math.Max(0, e.Timestamp - random.Next(0, 3_000))))
            .ToList();
        var results = new CollectingSink<(string Key, long Start, long End, long Result)>();
        var env = StreamExecutionEnvironment.GetExecutionEnvironment().SetParallelism(2);
        env.FromCollection(events)
            .AssignTimestampsAndWatermarks(WatermarkStrategy<(string Key, long Timestamp)>
                .ForPunctuated((e, ts) => ts - 3_000)
                .WithTimestampAssigner((e, _) => e.Timestamp))
            .KeyBy(e => e.Key)
            .Window(TumblingEventTimeWindows.Of(TimeSpan.FromSeconds(10)))
            .Aggregate(new CountAggregate<(string Key, long Timestamp)>(), new WindowLabel<long, string>())
            .AddSink(results);

        var job = await env.ExecuteAsync("tumbling-out-of-order", TestContext.Current.CancellationToken).WaitAsync(Deadline, TestContext.Current.CancellationToken);

        var expected = events.GroupBy(e => (e.Key, Start: e.Timestamp / 10_000 * 10_000))
            .Select(g => (g.Key.Key, g.Key.Start, g.Key.Start + 10_000, (long)g.Count()))
            .Order();
        Assert.Equal(expected, results.Values.Order());
        Assert.Equal(0, job.Metrics.LateRecordsDropped);
    }

    [Fact]
    public async Task Periodic_bounded_out_of_orderness_watermarks_give_exact_sliding_sums()
    {
        var events = Enumerable.Range(0, 3_000).Select(i => (Key: i % 3, Timestamp: (long)(i * 11 % 20_000), Value: (long)i)).ToList();
        var results = new CollectingSink<(int Key, long Start, long End, (int Key, long Timestamp, long Value) Result)>();
        var env = StreamExecutionEnvironment.GetExecutionEnvironment().SetParallelism(2).SetAutoWatermarkInterval(TimeSpan.FromMilliseconds(1));
        env.FromCollection(events)
            .AssignTimestampsAndWatermarks(WatermarkStrategy<(int Key, long Timestamp, long Value)>
                .ForBoundedOutOfOrderness(TimeSpan.FromSeconds(20))
                .WithTimestampAssigner((e, _) => e.Timestamp))
            .KeyBy(e => e.Key)
            .Window(SlidingEventTimeWindows.Of(TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(5)))
            .Reduce(new LambdaSum(), new WindowLabel<(int Key, long Timestamp, long Value), int>())
            .AddSink(results);

        var job = await env.ExecuteAsync("sliding", TestContext.Current.CancellationToken).WaitAsync(Deadline, TestContext.Current.CancellationToken);

        var expected = events
            .SelectMany(e => new[] { e.Timestamp / 5_000 * 5_000, e.Timestamp / 5_000 * 5_000 - 5_000 }
                .Where(start => start >= -5_000 && start <= e.Timestamp && e.Timestamp < start + 10_000)
                .Select(start => (e.Key, Start: start, e.Value)))
            .GroupBy(e => (e.Key, e.Start))
            .Select(g => (g.Key.Key, g.Key.Start, g.Key.Start + 10_000, g.Sum(e => e.Value)))
            .Order();
        Assert.Equal(expected, results.Values.Select(r => (r.Key, r.Start, r.End, r.Result.Value)).Order());
        Assert.Equal(0, job.Metrics.LateRecordsDropped);
    }

    [Fact]
    public async Task Session_windows_merge_when_a_late_element_bridges_two_sessions()
    {
        // Gap 3 s: 0 and 1000 form [0, 4000); 5000 opens [5000, 8000); 2500 arrives later and
        // bridges them into [0, 8000). 20000 is a session of its own.
        var steps = new SourceStep<string>[]
        {
            new SourceStep<string>.Element("a", 0),
            new SourceStep<string>.Element("a", 1_000),
            new SourceStep<string>.Element("a", 5_000),
            new SourceStep<string>.Element("b", 1_000),
            new SourceStep<string>.Watermark(2_000),
            new SourceStep<string>.Element("a", 2_500),
            new SourceStep<string>.Element("a", 20_000),
        };
        var results = new CollectingSink<(string Key, long Start, long End, long Result)>();
        var env = StreamExecutionEnvironment.GetExecutionEnvironment().SetParallelism(1);
        env.AddSource(new ScriptedSource<string>(_ => steps))
            .KeyBy(k => k)
            .Window(EventTimeSessionWindows.WithGap(TimeSpan.FromSeconds(3)))
            .Aggregate(new CountAggregate<string>(), new WindowLabel<long, string>())
            .AddSink(results);

        await env.ExecuteAsync("sessions", TestContext.Current.CancellationToken).WaitAsync(Deadline, TestContext.Current.CancellationToken);

        Assert.Equal(
            [("a", 0L, 8_000L, 4L), ("a", 20_000L, 23_000L, 1L), ("b", 1_000L, 4_000L, 1L)],
            results.Values.Order());
    }

    [Fact]
    public async Task Late_elements_refire_within_the_allowed_lateness_and_go_to_the_side_output_after_it()
    {
        var lateTag = new OutputTag<(string Key, long Timestamp)>("late");
        var steps = new SourceStep<(string Key, long Timestamp)>[]
        {
            new SourceStep<(string, long)>.Element(("k", 1_000), 1_000),
            new SourceStep<(string, long)>.Element(("k", 2_000), 2_000),
            new SourceStep<(string, long)>.Watermark(10_000),  // fires [0, 10 s) with 2
            new SourceStep<(string, long)>.Element(("k", 3_000), 3_000), // late, within 5 s lateness: fires again with 3
            new SourceStep<(string, long)>.Watermark(15_000),  // [0, 10 s) is dropped
            new SourceStep<(string, long)>.Element(("k", 4_000), 4_000), // too late: side output
            new SourceStep<(string, long)>.Element(("k", 16_000), 16_000),
        };
        var results = new CollectingSink<(string Key, long Start, long End, long Result)>();
        var late = new CollectingSink<(string Key, long Timestamp)>();
        var env = StreamExecutionEnvironment.GetExecutionEnvironment().SetParallelism(1);
        var counts = env.AddSource(new ScriptedSource<(string Key, long Timestamp)>(_ => steps))
            .KeyBy(e => e.Key)
            .Window(TumblingEventTimeWindows.Of(TimeSpan.FromSeconds(10)))
            .AllowedLateness(TimeSpan.FromSeconds(5))
            .SideOutputLateData(lateTag)
            .Aggregate(new CountAggregate<(string Key, long Timestamp)>(), new WindowLabel<long, string>());
        counts.AddSink(results);
        counts.GetSideOutput(lateTag).AddSink(late);

        var job = await env.ExecuteAsync("lateness", TestContext.Current.CancellationToken).WaitAsync(Deadline, TestContext.Current.CancellationToken);

        Assert.Equal([("k", 0L, 10_000L, 2L), ("k", 0L, 10_000L, 3L), ("k", 10_000L, 20_000L, 1L)], results.Values.ToList());
        Assert.Equal([("k", 4_000L)], late.Values.ToList());
        Assert.Equal(0, job.Metrics.LateRecordsDropped);
    }

    [Fact]
    public async Task Late_elements_without_a_side_output_are_dropped_and_counted()
    {
        var steps = new SourceStep<long>[]
        {
            new SourceStep<long>.Element(1, 1_000),
            new SourceStep<long>.Watermark(10_000),
            new SourceStep<long>.Element(2, 2_000),
            new SourceStep<long>.Element(3, 9_999),
            new SourceStep<long>.Element(4, 10_000),
        };
        var results = new CollectingSink<long>();
        var env = StreamExecutionEnvironment.GetExecutionEnvironment().SetParallelism(1);
        env.AddSource(new ScriptedSource<long>(_ => steps))
            .KeyBy(_ => "all")
            .Window(TumblingEventTimeWindows.Of(TimeSpan.FromSeconds(10)))
            .Reduce((a, b) => a + b)
            .AddSink(results);

        var job = await env.ExecuteAsync("dropped", TestContext.Current.CancellationToken).WaitAsync(Deadline, TestContext.Current.CancellationToken);

        Assert.Equal([1L, 4L], results.Values.ToList());
        Assert.Equal(2, job.Metrics.LateRecordsDropped);
    }

    [Fact]
    public async Task An_idle_parallel_input_does_not_stall_windows_once_the_idleness_timeout_passed()
    {
        // Subtask 0 produces 0..4999 ms; subtask 1 never produces anything but keeps running. The
        // window downstream reads both, so without idleness its watermark stays at the minimum.
        var results = new CollectingSink<(long Key, long Start, long End, long Result)>();
        var env = StreamExecutionEnvironment.GetExecutionEnvironment().SetParallelism(2).SetAutoWatermarkInterval(TimeSpan.FromMilliseconds(20));
        env.AddSource(new ScriptedSource<long>(
                subtask => subtask == 0 ? Enumerable.Range(0, 50).Select(i => new SourceStep<long>.Element(i * 100L, i * 100L)) : [],
                keepRunning: true))
            .AssignTimestampsAndWatermarks(WatermarkStrategy<long>.ForMonotonousTimestamps().WithIdleness(TimeSpan.FromMilliseconds(300)))
            .KeyBy(_ => 0L)
            .Window(TumblingEventTimeWindows.Of(TimeSpan.FromSeconds(1)))
            .Aggregate(new CountAggregate<long>(), new WindowLabel<long, long>())
            .SetParallelism(1)
            .AddSink(results);

        var job = env.Start("idle-input");
        await Wait.UntilAsync(() => results.Values.Count >= 4 || job.Completion.IsCompleted, Deadline, "windows to fire while one input is idle");
        await job.CancelAsync();

        Assert.Equal([(0L, 0L, 1_000L, 10L), (0L, 1_000L, 2_000L, 10L), (0L, 2_000L, 3_000L, 10L), (0L, 3_000L, 4_000L, 10L)], results.Values.Order().Take(4).ToList());
    }

    [Fact]
    public async Task Processing_time_windows_fire_on_the_clock_and_count_every_element()
    {
        const int Elements = 500;
        var results = new CollectingSink<long>();
        var env = StreamExecutionEnvironment.GetExecutionEnvironment().SetParallelism(1);
        env.AddSource(new ScriptedSource<long>(_ => Enumerable.Range(0, Elements).Select(i => new SourceStep<long>.Element(i, i)), keepRunning: true))
            .KeyBy(v => v % 2)
            .Window(TumblingProcessingTimeWindows.Of(TimeSpan.FromMilliseconds(100)))
            .Aggregate(new CountAggregate<long>())
            .AddSink(results);

        var job = env.Start("processing-time-windows");
        await Wait.UntilAsync(() => results.Values.Sum() >= Elements || job.Completion.IsCompleted, Deadline, "every element counted in a fired window");
        await job.CancelAsync();

        Assert.Equal(Elements, results.Values.Sum());
    }

    [Fact]
    public async Task An_event_time_window_refuses_elements_without_timestamps_naming_the_operator()
    {
        var env = StreamExecutionEnvironment.GetExecutionEnvironment().SetParallelism(1);
        env.FromCollection([1L, 2L])
            .KeyBy(v => v)
            .Window(TumblingEventTimeWindows.Of(TimeSpan.FromSeconds(1)))
            .Reduce((a, b) => a + b)
            .Name("my window")
            .AddSink(new CollectingSink<long>());

        var error = await Assert.ThrowsAnyAsync<Exception>(() => env.ExecuteAsync("no-timestamps", TestContext.Current.CancellationToken).WaitAsync(Deadline, TestContext.Current.CancellationToken));
        Assert.Contains("my window", error.ToString());
        Assert.Contains("AssignTimestampsAndWatermarks", error.ToString());
    }

    [Fact]
    public void Window_starts_are_aligned_also_for_negative_timestamps_and_offsets()
    {
        Assert.Equal(-10_000, TimeWindow.WindowStart(-1, 0, 10_000));
        Assert.Equal(0, TimeWindow.WindowStart(9_999, 0, 10_000));
        Assert.Equal(10_000, TimeWindow.WindowStart(10_000, 0, 10_000));
        Assert.Equal(2_000, TimeWindow.WindowStart(5_000, 2_000, 10_000));
        Assert.Equal(-8_000, TimeWindow.WindowStart(1_000, 2_000, 10_000));

        var sliding = new List<TimeWindow>();
        SlidingEventTimeWindows.Of(TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(5)).AssignWindows(7_000, sliding);
        Assert.Equal([new TimeWindow(5_000, 15_000), new TimeWindow(0, 10_000)], sliding);
        Assert.Throws<ArgumentOutOfRangeException>(() => TumblingEventTimeWindows.Of(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => EventTimeSessionWindows.WithGap(TimeSpan.Zero));
    }

    private sealed class LambdaSum : Api.Functions.IReduceFunction<(int Key, long Timestamp, long Value)>
    {
        public (int Key, long Timestamp, long Value) Reduce((int Key, long Timestamp, long Value) accumulated, (int Key, long Timestamp, long Value) value) =>
            (accumulated.Key, Math.Max(accumulated.Timestamp, value.Timestamp), accumulated.Value + value.Value);
    }
}
