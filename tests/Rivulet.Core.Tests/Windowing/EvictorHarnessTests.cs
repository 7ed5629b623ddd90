using System.Globalization;
using Rivulet.Core.Time.Windows;
using Rivulet.Core.Time.Windows.Evictors;
using Rivulet.Core.Time.Windows.Triggers;

namespace Rivulet.Core.Tests.Windowing;

/// <summary>Evictors in the window operator, harness style.</summary>
public sealed class EvictorHarnessTests
{
    [Fact]
    public void A_sliding_count_window_keeps_the_last_n_elements_fires_every_slide_and_survives_a_restore()
    {
        byte[] snapshot;
        using (var harness = WindowHarness.Create(GlobalWindows.Create(), CountTrigger.Of(2), CountEvictor.Of(3)))
        {
            for (var i = 1; i <= 6; i++)
            {
                harness.ProcessElement($"a:{i}", i);
            }

            Assert.Equal(["a GlobalWindow [1,2]", "a GlobalWindow [2,3,4]", "a GlobalWindow [4,5,6]"], harness.Output.Events);
            snapshot = harness.Snapshot();
        }

        using var restored = WindowHarness.Create(GlobalWindows.Create(), CountTrigger.Of(2), CountEvictor.Of(3), restoreFrom: [snapshot]);
        restored.ProcessElement("a:7", 7);
        restored.ProcessElement("a:8", 8);
        Assert.Equal(["a GlobalWindow [6,7,8]"], restored.Output.Events);
    }

    [Fact]
    public void Evicting_after_the_function_runs_keeps_the_elements_for_the_next_firing()
    {
        using var harness = WindowHarness.Create(GlobalWindows.Create(), CountTrigger.Of(2), CountEvictor.Of(1, doEvictAfter: true));
        foreach (var element in new[] { "a:1", "a:2", "a:3", "a:4" })
        {
            harness.ProcessElement(element, 0);
        }

        Assert.Equal(["a GlobalWindow [1,2]", "a GlobalWindow [2,3,4]"], harness.Output.Events);
    }

    [Fact]
    public void A_time_evictor_keeps_the_span_before_the_newest_timestamp()
    {
        using var harness = WindowHarness.Create(GlobalWindows.Create(), CountTrigger.Of(4), TimeEvictor.Of(TimeSpan.FromSeconds(2)));
        harness.ProcessElement("a:1", 1_000);
        harness.ProcessElement("a:2", 2_000);
        harness.ProcessElement("a:3", 3_500);
        harness.ProcessElement("a:4", 4_000);

        // Newest 4000: everything at or before 2000 goes.
        Assert.Equal(["a GlobalWindow [3,4]"], harness.Output.Events);
    }

    [Fact]
    public void A_delta_evictor_drops_elements_too_far_from_the_newest()
    {
        var evictor = DeltaEvictor.Of<string>(10, (element, newest) => Math.Abs(Number(element) - Number(newest)));
        using var harness = WindowHarness.Create(GlobalWindows.Create(), CountTrigger.Of(4), evictor);
        foreach (var element in new[] { "a:1", "a:5", "a:20", "a:22" })
        {
            harness.ProcessElement(element, 0);
        }

        Assert.Equal(["a GlobalWindow [20,22]"], harness.Output.Events);
    }

    [Fact]
    public void A_window_the_evictor_emptied_gives_no_result_and_drops_its_contents()
    {
        using var harness = WindowHarness.Create(TumblingEventTimeWindows.Of(TimeSpan.FromSeconds(10)), EventTimeTrigger.Create(), new EvictEverything());
        harness.ProcessElement("a:1", 1_000);
        harness.ProcessWatermark(9_999);
        Assert.Empty(harness.Output.Records);
        WindowHarness.AssertNoStateLeft(harness);
    }

    private static double Number(string element) => double.Parse(WindowHarness.ValueOf(element), CultureInfo.InvariantCulture);

    private sealed class EvictEverything : Evictor
    {
        public override void EvictBefore<T>(IList<TimestampedValue<T>> elements, TimeWindow window, EvictorContext context) => elements.Clear();

        public override void EvictAfter<T>(IList<TimestampedValue<T>> elements, TimeWindow window, EvictorContext context)
        {
        }
    }
}
