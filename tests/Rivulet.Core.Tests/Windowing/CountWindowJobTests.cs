using System.Globalization;
using Rivulet.Core.Api;
using Rivulet.Core.Api.Functions;
using Rivulet.Core.Tests.EventTime;
using Rivulet.Core.Time.Windows;
using Rivulet.Core.Time.Windows.Evictors;
using Rivulet.Core.Time.Windows.Triggers;

namespace Rivulet.Core.Tests.Windowing;

/// <summary>Count windows, custom triggers and evictors in running jobs, across a savepoint restored at another parallelism.</summary>
public sealed class CountWindowJobTests
{
    private static readonly string[] Keys = [.. Enumerable.Range(0, 6).Select(k => $"k{k}")];

    [Fact]
    public async Task Count_windows_continue_from_a_savepoint_restored_at_another_parallelism()
    {
        var directory = TestEnvironments.TempDirectory();
        try
        {
            // Values 1-5 of every key: the tumbling window of 3 fires once (1+2+3) and keeps 4, 5;
            // the sliding window (last 4, every 2) fires at 2 and 4 and has counted 1 since.
            var first = new CollectingSink<string>();
            var emitted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var env = TestEnvironments.WithCheckpoints(directory, parallelism: 2, intervalMs: 1_000_000);
            Pipeline(env, Values(1, 5, emitted), first);
            var job = env.Start("count-windows-before");
            await emitted.Task.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
            await Wait.UntilAsync(() => first.Values.Count == 18, TimeSpan.FromSeconds(30), "the first windows");
            var savepoint = await job.TriggerSavepointAsync(Path.Combine(directory, "savepoint"));
            await job.CancelAsync();
            Assert.Equal(Keys.SelectMany(k => new[] { $"tumbling {k}:6", $"sliding {k} [1,2]", $"sliding {k} [1,2,3,4]" }).Order(), first.Values.Order());

            // Values 6-9 at parallelism 3: keys moved to other subtasks, with their window contents and trigger counts.
            var second = new CollectingSink<string>();
            var restored = TestEnvironments.WithCheckpoints(directory, parallelism: 3, intervalMs: 1_000_000).SetStateRestorePath(savepoint.Directory);
            Pipeline(restored, Values(6, 9, null), second);
            var rejob = restored.Start("count-windows-after");
            await Wait.UntilAsync(() => second.Values.Count == 24, TimeSpan.FromSeconds(30), "the windows after the restore");
            await rejob.CancelAsync();

            var expected = Keys.SelectMany(k => new[] { $"tumbling {k}:15", $"tumbling {k}:24", $"sliding {k} [3,4,5,6]", $"sliding {k} [5,6,7,8]" });
            Assert.Equal(expected.Order(), second.Values.Order());
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void Triggers_and_evictors_for_other_elements_or_that_cannot_merge_are_refused_when_the_job_is_built()
    {
        var env = StreamExecutionEnvironment.GetExecutionEnvironment();
        var keyed = env.FromCollection(["a"]).KeyBy(v => v);

        var trigger = Assert.Throws<ArgumentException>(() => keyed.CountWindow(2).Trigger(new FireAlways<int>()));
        Assert.Contains("handles Int32 elements; this window holds String", trigger.Message, StringComparison.Ordinal);

        var evictor = Assert.Throws<ArgumentException>(() => keyed.CountWindow(2).Evictor(DeltaEvictor.Of<int>(1, (a, b) => a - b)));
        Assert.Contains("handles Int32 elements; this window holds String", evictor.Message, StringComparison.Ordinal);

        var merging = Assert.Throws<ArgumentException>(() => keyed.Window(EventTimeSessionWindows.WithGap(TimeSpan.FromSeconds(1))).Trigger(new FireAlways<string>()));
        Assert.Contains("cannot merge windows", merging.Message, StringComparison.Ordinal);

        Assert.Throws<ArgumentOutOfRangeException>(() => keyed.CountWindow(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => keyed.CountWindow(3, 0));
    }

    private static List<SourceStep<string>> Values(int from, int to, TaskCompletionSource? emitted)
    {
        var steps = new List<SourceStep<string>>();
        for (var value = from; value <= to; value++)
        {
            steps.AddRange(Keys.Select(k => new SourceStep<string>.Element($"{k}:{value}", 0)));
        }

        if (emitted is not null)
        {
            steps.Add(new SourceStep<string>.Signal(emitted));
        }

        return steps;
    }

    private static void Pipeline(StreamExecutionEnvironment env, List<SourceStep<string>> values, CollectingSink<string> sink)
    {
        var keyed = env.AddSource(new ScriptedSource<string>(_ => values, keepRunning: true)).SetParallelism(1).Uid("values")
            .KeyBy(WindowHarness.KeyOf);
        keyed.CountWindow(3)
            .Reduce((a, b) => $"{WindowHarness.KeyOf(a)}:{Number(a) + Number(b)}").Uid("tumbling")
            .Map(sum => $"tumbling {sum}")
            .AddSink(sink);
        keyed.CountWindow(4, 2)
            .Process(new WindowHarness.Label()).Uid("sliding")
            .Map(label => label.Replace(" GlobalWindow", "", StringComparison.Ordinal).Insert(0, "sliding "))
            .AddSink(sink);
    }

    private static int Number(string element) => int.Parse(WindowHarness.ValueOf(element), CultureInfo.InvariantCulture);

    private sealed class FireAlways<T> : Trigger<T>
    {
        public override TriggerResult OnElement(T element, long timestamp, TimeWindow window, TriggerContext context) => TriggerResult.Fire;

        public override TriggerResult OnEventTime(long time, TimeWindow window, TriggerContext context) => TriggerResult.Continue;

        public override TriggerResult OnProcessingTime(long time, TimeWindow window, TriggerContext context) => TriggerResult.Continue;

        public override void Clear(TimeWindow window, TriggerContext context)
        {
        }
    }
}
