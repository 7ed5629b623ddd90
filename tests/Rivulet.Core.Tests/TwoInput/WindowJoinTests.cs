using Rivulet.Core.Api;
using Rivulet.Core.Api.Functions;
using Rivulet.Core.Tests.EventTime;
using Rivulet.Core.Time.Windows;

namespace Rivulet.Core.Tests.TwoInput;

/// <summary>
/// Window joins and coGroups (Flink's <c>join</c>/<c>coGroup</c> … <c>where</c> … <c>equalTo</c> …
/// <c>window</c> … <c>apply</c>): elements of both streams meet by key and window; a coGroup sees empty
/// sides too; the windows' state restores at another parallelism.
/// </summary>
public sealed class WindowJoinTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_window_join_pairs_elements_of_the_same_key_and_window_and_a_co_group_sees_empty_sides()
    {
        var joined = new CollectingSink<string>();
        var grouped = new CollectingSink<string>();
        var env = StreamExecutionEnvironment.GetExecutionEnvironment().SetParallelism(2);
        var numbers = env.AddSource(new ScriptedSource<Numbered>(_ => Steps<Numbered>(new Numbered("a", 1), 1, new Numbered("a", 2), 2, new Numbered("b", 3), 3))).SetParallelism(1);
        var letters = env.AddSource(new ScriptedSource<Lettered>(_ => Steps<Lettered>(new Lettered("a", "x"), 5, new Lettered("b", "y"), 15))).SetParallelism(1);
        numbers.Join(letters).Where(n => n.Key).EqualTo(l => l.Key).Window(TumblingEventTimeWindows.Of(TimeSpan.FromMilliseconds(10)))
            .Apply((n, l) => $"{n.Key}{n.Value}{l.Letter}")
            .AddSink(joined);
        numbers.CoGroup(letters).Where(n => n.Key).EqualTo(l => l.Key).Window(TumblingEventTimeWindows.Of(TimeSpan.FromMilliseconds(10)))
            .Apply(new Describe())
            .AddSink(grouped);

        await env.ExecuteAsync("window-join", TestContext.Current.CancellationToken);

        Assert.Equal(["a1x", "a2x"], joined.Values.Order());
        Assert.Equal(new[] { "a: 1,2 | x", "b: 3 | ", "b:  | y" }.Order(), grouped.Values.Order());
    }

    [Fact]
    public async Task A_window_joins_state_restores_at_another_parallelism()
    {
        var directory = TestEnvironments.TempDirectory();
        try
        {
            // First run: the first stream's half of every key's window, then a savepoint.
            var emitted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var env = TestEnvironments.WithCheckpoints(directory, parallelism: 2, intervalMs: 1_000_000);
            Pipeline(env, [.. Enumerable.Range(0, 8).SelectMany(k => Steps<Numbered>(new Numbered($"k{k}", k), 100)), new SourceStep<Numbered>.Signal(emitted)], [], new CollectingSink<string>());
            var job = env.Start("window-join-before");
            await emitted.Task.WaitAsync(Deadline, TestContext.Current.CancellationToken);
            var savepoint = await job.TriggerSavepointAsync(Path.Combine(directory, "savepoint"));
            await job.CancelAsync();

            // Restored at parallelism 3: the second half arrives, then the watermark closes the window.
            var output = new CollectingSink<string>();
            var restored = TestEnvironments.WithCheckpoints(directory, parallelism: 3, intervalMs: 1_000_000).SetStateRestorePath(savepoint.Directory);
            Pipeline(restored, [new SourceStep<Numbered>.Watermark(1_000)],
                [.. Enumerable.Range(0, 8).SelectMany(k => Steps<Lettered>(new Lettered($"k{k}", "z"), 150)), new SourceStep<Lettered>.Watermark(1_000)], output);
            var rejob = restored.Start("window-join-after");
            await Wait.UntilAsync(() => output.Values.Count >= 8, Deadline, "the restored windows firing");
            await rejob.CancelAsync();

            Assert.Equal(Enumerable.Range(0, 8).Select(k => $"k{k}{k}z").Order(), output.Values.Order());
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static void Pipeline(StreamExecutionEnvironment env, List<SourceStep<Numbered>> numbers, List<SourceStep<Lettered>> letters, CollectingSink<string> sink)
    {
        var first = env.AddSource(new ScriptedSource<Numbered>(_ => numbers, keepRunning: true)).SetParallelism(1).Uid("numbers");
        var second = env.AddSource(new ScriptedSource<Lettered>(_ => letters, keepRunning: true)).SetParallelism(1).Uid("letters");
        first.Join(second).Where(n => n.Key).EqualTo(l => l.Key).Window(TumblingEventTimeWindows.Of(TimeSpan.FromSeconds(1)))
            .Apply((n, l) => $"{n.Key}{n.Value}{l.Letter}")
            .AddSink(sink);
    }

    private static List<SourceStep<T>> Steps<T>(params object[] valuesAndTimestamps) =>
        [.. valuesAndTimestamps.Chunk(2).Select(pair => new SourceStep<T>.Element((T)pair[0], Convert.ToInt64(pair[1], System.Globalization.CultureInfo.InvariantCulture)))];

    /// <summary>Window state is JSON: records, not tuples.</summary>
    public sealed record Numbered(string Key, int Value);

    public sealed record Lettered(string Key, string Letter);

    private sealed class Describe : ICoGroupFunction<Numbered, Lettered, string>
    {
        public void CoGroup(IEnumerable<Numbered> first, IEnumerable<Lettered> second, ICollector<string> output)
        {
            var numbers = first.ToList();
            var letters = second.ToList();
            var key = numbers.Select(n => n.Key).Concat(letters.Select(l => l.Key)).First();
            // Elements of one window reach it over parallel paths: their order is not the sources' order.
            output.Collect($"{key}: {string.Join(',', numbers.Select(n => n.Value).Order())} | {string.Join(',', letters.Select(l => l.Letter).Order())}");
        }
    }
}
