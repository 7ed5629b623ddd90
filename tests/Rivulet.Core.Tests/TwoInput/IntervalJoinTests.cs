using Rivulet.Core.Api;
using Rivulet.Core.Api.Functions;
using Rivulet.Core.Tests.EventTime;

namespace Rivulet.Core.Tests.TwoInput;

/// <summary>
/// Interval joins (Flink's <c>intervalJoin</c>): a left element at t meets the right elements of its key
/// in [t + lower, t + upper], bounds inclusive unless made exclusive; late elements are dropped and
/// counted; buffered elements are keyed state and restore at another parallelism.
/// </summary>
public sealed class IntervalJoinTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    [Theory]
    [InlineData(false, false, new[] { "a@100+a@90", "a@100+a@120", "b@100+b@105" })]
    [InlineData(true, false, new[] { "a@100+a@120", "b@100+b@105" })]
    [InlineData(false, true, new[] { "a@100+a@90", "b@100+b@105" })]
    public async Task Pairs_within_the_bounds_join_and_the_bounds_can_be_exclusive(bool lowerExclusive, bool upperExclusive, string[] expected)
    {
        var output = new CollectingSink<(string Text, long LeftAt, long RightAt, long Timestamp)>();
        var env = StreamExecutionEnvironment.GetExecutionEnvironment().SetParallelism(2);
        var left = env.AddSource(new ScriptedSource<Event>(_ => Elements(("a", 100), ("b", 100)))).SetParallelism(1);
        var right = env.AddSource(new ScriptedSource<Event>(_ => Elements(("a", 89), ("a", 90), ("a", 120), ("a", 121), ("b", 105), ("c", 100)))).SetParallelism(1);
        var joined = left.KeyBy(l => l.Key).IntervalJoin(right.KeyBy(r => r.Key)).Between(TimeSpan.FromMilliseconds(-10), TimeSpan.FromMilliseconds(20));
        joined = lowerExclusive ? joined.LowerBoundExclusive() : joined;
        joined = upperExclusive ? joined.UpperBoundExclusive() : joined;
        joined.Process(new Describe()).AddSink(output);

        await env.ExecuteAsync("interval-join", TestContext.Current.CancellationToken);

        Assert.Equal(expected.Order(), output.Values.Select(v => v.Text).Order());
        // Results carry the later of the two timestamps.
        Assert.All(output.Values, v => Assert.Equal(Math.Max(v.LeftAt, v.RightAt), v.Timestamp));
    }

    [Fact]
    public async Task Elements_behind_the_watermark_are_dropped_and_counted()
    {
        var output = new CollectingSink<string>();
        var late = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var env = StreamExecutionEnvironment.GetExecutionEnvironment().SetParallelism(1);
        // Each input: an element, watermark 1000, an on-time element at 1000; the two at 1000 meet, which
        // proves both watermarks passed the join. Only then come the late ones.
        var left = env.AddSource(new ScriptedSource<Event>(_ =>
            [.. Elements(("a", 450)), new SourceStep<Event>.Watermark(1_000), .. Elements(("a", 1_000)), new SourceStep<Event>.WaitFor(late), .. Elements(("a", 500))], keepRunning: true));
        var right = env.AddSource(new ScriptedSource<Event>(_ =>
            [new SourceStep<Event>.Watermark(1_000), .. Elements(("a", 1_000)), new SourceStep<Event>.WaitFor(late), .. Elements(("a", 505))], keepRunning: true));
        left.KeyBy(l => l.Key).IntervalJoin(right.KeyBy(r => r.Key)).Between(TimeSpan.Zero, TimeSpan.FromMilliseconds(600)).Process(new Describe()).Map(v => v.Text).AddSink(output);
        var job = env.Start("interval-join-late");
        try
        {
            await Wait.UntilAsync(() => output.Values.Contains("a@1000+a@1000"), Deadline, "the on-time pair at 1000");
            late.SetResult();
            await Wait.UntilAsync(() => job.Metrics.LateRecordsDropped == 2, Deadline, "both late elements dropped");

            // a@500 would have met a@1000 and a@505 a@450: late, they join nothing.
            Assert.Equal(["a@1000+a@1000", "a@450+a@1000"], output.Values.Order());
        }
        finally
        {
            await job.CancelAsync();
        }
    }

    [Fact]
    public async Task Buffered_elements_restore_at_another_parallelism()
    {
        var directory = TestEnvironments.TempDirectory();
        try
        {
            var emitted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var env = TestEnvironments.WithCheckpoints(directory, parallelism: 2, intervalMs: 1_000_000);
            Pipeline(env, [.. Enumerable.Range(0, 8).SelectMany(k => Elements(($"k{k}", 100))), new SourceStep<Event>.Signal(emitted)], [], new CollectingSink<string>());
            var job = env.Start("interval-join-before");
            await emitted.Task.WaitAsync(Deadline, TestContext.Current.CancellationToken);
            var savepoint = await job.TriggerSavepointAsync(Path.Combine(directory, "savepoint"));
            await job.CancelAsync();

            var output = new CollectingSink<string>();
            var restored = TestEnvironments.WithCheckpoints(directory, parallelism: 3, intervalMs: 1_000_000).SetStateRestorePath(savepoint.Directory);
            Pipeline(restored, [], [.. Enumerable.Range(0, 8).SelectMany(k => Elements(($"k{k}", 110)))], output);
            var rejob = restored.Start("interval-join-after");
            await Wait.UntilAsync(() => output.Values.Count >= 8, Deadline, "the restored left elements meeting the new right ones");
            await rejob.CancelAsync();

            Assert.Equal(Enumerable.Range(0, 8).Select(k => $"k{k}@100+k{k}@110").Order(), output.Values.Order());
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static void Pipeline(StreamExecutionEnvironment env, List<SourceStep<Event>> left, List<SourceStep<Event>> right, CollectingSink<string> sink)
    {
        var lefts = env.AddSource(new ScriptedSource<Event>(_ => left, keepRunning: true)).SetParallelism(1).Uid("left");
        var rights = env.AddSource(new ScriptedSource<Event>(_ => right, keepRunning: true)).SetParallelism(1).Uid("right");
        lefts.KeyBy(l => l.Key).IntervalJoin(rights.KeyBy(r => r.Key)).Between(TimeSpan.Zero, TimeSpan.FromMilliseconds(20))
            .Process(new Describe()).Uid("join")
            .Map(v => v.Text)
            .AddSink(sink);
    }

    private static IEnumerable<SourceStep<Event>> Elements(params (string Key, long At)[] elements) =>
        elements.Select(e => new SourceStep<Event>.Element(new Event(e.Key, e.At), e.At));

    /// <summary>A keyed element; a record, since buffered elements are state (JSON-serialized).</summary>
    public sealed record Event(string Key, long At);

    private sealed class Describe : ProcessJoinFunction<Event, Event, (string Text, long LeftAt, long RightAt, long Timestamp)>
    {
        public override void ProcessElement(Event left, Event right, Context context, ICollector<(string Text, long LeftAt, long RightAt, long Timestamp)> output) =>
            output.Collect(($"{left.Key}@{left.At}+{right.Key}@{right.At}", context.LeftTimestamp, context.RightTimestamp, context.Timestamp));
    }
}
