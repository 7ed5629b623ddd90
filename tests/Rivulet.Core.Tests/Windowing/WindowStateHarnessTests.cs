using Rivulet.Core.Api.Functions;
using Rivulet.Core.Runtime.Operators;
using Rivulet.Core.State;
using Rivulet.Core.Tests.Harness;
using Rivulet.Core.Time.Windows;
using Rivulet.Core.Time.Windows.Triggers;

namespace Rivulet.Core.Tests.Windowing;

/// <summary>A process window function's per-window and global state, and its Clear, in both window operators.</summary>
public sealed class WindowStateHarnessTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Per_window_state_tells_late_firings_apart_global_state_spans_windows_and_clear_runs_at_cleanup(bool defaultTriggerOperator)
    {
        var function = new CountFirings();
        var assigner = TumblingEventTimeWindows.Of(TimeSpan.FromSeconds(10));
        var lateness = TimeSpan.FromSeconds(5);
        using var harness = defaultTriggerOperator
            ? WindowHarness.WithDefaultTrigger(assigner, function, lateness)
            : WindowHarness.Create(assigner, EventTimeTrigger.Create(), function: function, lateness: lateness);

        harness.ProcessElement("a:1", 1_000);
        harness.ProcessElement("a:2", 12_000);
        harness.ProcessWatermark(9_999);
        harness.ProcessElement("a:3", 2_000); // late, within the lateness: the window fires again
        harness.ProcessWatermark(19_999);
        Assert.Equal(
            [
                "a TimeWindow[0, 10000) firing 1, key firing 1", "W9999",
                "a TimeWindow[0, 10000) firing 2, key firing 2",
                "a TimeWindow[10000, 20000) firing 1, key firing 3", "W19999",
            ],
            harness.Output.Events);
        Assert.Equal(["TimeWindow[0, 10000)"], function.Cleared);

        harness.ProcessWatermark(24_999);
        Assert.Equal(["TimeWindow[0, 10000)", "TimeWindow[10000, 20000)"], function.Cleared);
        var left = WindowHarness.StateEntries(harness).Where(e => e.Value > 0).ToDictionary();
        Assert.Equal(new Dictionary<string, long> { ["key-firings"] = 1 }, left);
    }

    [Fact]
    public void Per_window_state_of_merging_windows_is_refused_naming_the_cause()
    {
        using var harness = WindowHarness.Create(EventTimeSessionWindows.WithGap(TimeSpan.FromSeconds(1)), EventTimeTrigger.Create(), function: new CountFirings());
        harness.ProcessElement("a:1", 0);
        var error = Assert.Throws<NotSupportedException>(() => harness.ProcessWatermark(2_000));
        Assert.Contains("per-window state is not supported with merging (session) windows", error.Message, StringComparison.Ordinal);
    }

    /// <summary>Counts firings per window (window state) and per key (global state); clears the window's count when the window goes.</summary>
    private sealed class CountFirings : ProcessWindowFunction<string, string, string>
    {
        private static readonly ValueStateDescriptor<int> WindowFirings = new("window-firings");
        private static readonly ValueStateDescriptor<int> KeyFirings = new("key-firings");

        public List<string> Cleared { get; } = [];

        public override void Process(string key, Context context, IEnumerable<string> elements, ICollector<string> output)
        {
            var window = context.WindowState.GetState(WindowFirings);
            window.Value++;
            var total = context.GlobalState.GetState(KeyFirings);
            total.Value++;
            output.Collect($"{key} {context.Window} firing {window.Value}, key firing {total.Value}");
        }

        public override void Clear(Context context)
        {
            Cleared.Add($"{context.Window}");
            context.WindowState.GetState(WindowFirings).Clear();
        }
    }
}
