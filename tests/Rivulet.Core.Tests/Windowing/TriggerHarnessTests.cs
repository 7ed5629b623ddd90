using Rivulet.Core.Tests.Harness;
using Rivulet.Core.Time.Windows;
using Rivulet.Core.Time.Windows.Triggers;

namespace Rivulet.Core.Tests.Windowing;

/// <summary>Triggers in the window operator, harness style: elements, watermarks and processing time by hand, no threads.</summary>
public sealed class TriggerHarnessTests
{
    [Fact]
    public void A_purging_count_trigger_fires_every_n_elements_of_a_key_and_its_count_survives_a_restore()
    {
        byte[] snapshot;
        using (var harness = WindowHarness.Create(GlobalWindows.Create(), PurgingTrigger.Of(CountTrigger.Of(3))))
        {
            foreach (var element in new[] { "a:1", "a:2", "b:1", "a:3", "a:4", "b:2" })
            {
                harness.ProcessElement(element, 0);
            }

            Assert.Equal(["a GlobalWindow [1,2,3]"], harness.Output.Events);
            Assert.Equal(long.MaxValue, harness.Output.Records.Single().Timestamp);
            snapshot = harness.Snapshot();
        }

        using var restored = WindowHarness.Create(GlobalWindows.Create(), PurgingTrigger.Of(CountTrigger.Of(3)), restoreFrom: [snapshot]);
        foreach (var element in new[] { "a:5", "b:3", "a:6" })
        {
            restored.ProcessElement(element, 0);
        }

        Assert.Equal(["b GlobalWindow [1,2,3]", "a GlobalWindow [4,5,6]"], restored.Output.Events);
        WindowHarness.AssertNoStateLeft(restored);
    }

    [Fact]
    public void A_count_trigger_without_purging_fires_over_everything_so_far()
    {
        using var harness = WindowHarness.Create(GlobalWindows.Create(), CountTrigger.Of(2));
        foreach (var element in new[] { "a:1", "a:2", "a:3", "a:4" })
        {
            harness.ProcessElement(element, 0);
        }

        Assert.Equal(["a GlobalWindow [1,2]", "a GlobalWindow [1,2,3,4]"], harness.Output.Events);
    }

    [Fact]
    public void Global_windows_never_fire_by_default()
    {
        using var harness = WindowHarness.Create(GlobalWindows.Create(), GlobalWindows.Create().DefaultTrigger);
        harness.ProcessElement("a:1", 0);
        harness.ProcessWatermark(long.MaxValue);
        harness.AdvanceProcessingTime(TimeSpan.FromDays(365));
        Assert.Equal(["W9223372036854775807"], harness.Output.Events);
    }

    [Fact]
    public void A_continuous_event_time_trigger_fires_every_interval_and_at_the_window_end_then_leaves_no_state()
    {
        using var harness = WindowHarness.Create(TumblingEventTimeWindows.Of(TimeSpan.FromSeconds(10)), ContinuousEventTimeTrigger.Of(TimeSpan.FromSeconds(2)));
        harness.ProcessElement("a:1", 1_000);
        harness.ProcessWatermark(1_999);
        Assert.Empty(harness.Output.Records);

        harness.ProcessWatermark(2_000);
        harness.ProcessElement("a:2", 3_500);
        harness.ProcessWatermark(4_000);
        Assert.Equal(["a TimeWindow[0, 10000) [1]", "a TimeWindow[0, 10000) [1,2]"], harness.Output.Records.Select(r => r.Value));

        // 6 s, 8 s and the window's end (9.999 s) in one watermark: three firings, the end's once.
        harness.ProcessWatermark(9_999);
        Assert.Equal(5, harness.Output.Records.Count);
        Assert.All(harness.Output.Records.Skip(2), r => Assert.Equal("a TimeWindow[0, 10000) [1,2]", r.Value));
        Assert.All(harness.Output.Records, r => Assert.Equal(9_999, r.Timestamp));
        WindowHarness.AssertNoStateLeft(harness);
    }

    [Fact]
    public void A_continuous_processing_time_trigger_fires_every_interval_of_the_clock_while_the_window_holds_elements()
    {
        using var harness = WindowHarness.Create(GlobalWindows.Create(), ContinuousProcessingTimeTrigger.Of(TimeSpan.FromSeconds(5)));
        harness.ProcessElement("a:1", 0);
        harness.AdvanceProcessingTime(TimeSpan.FromSeconds(4));
        Assert.Empty(harness.Output.Records);
        harness.AdvanceProcessingTime(TimeSpan.FromSeconds(1));
        Assert.Equal(["a GlobalWindow [1]"], harness.Output.Events);

        harness.ProcessElement("a:2", 0);
        harness.AdvanceProcessingTime(TimeSpan.FromSeconds(5));
        Assert.Equal(["a GlobalWindow [1]", "a GlobalWindow [1,2]"], harness.Output.Events);
    }

    [Fact]
    public void A_count_trigger_on_session_windows_carries_the_counts_of_merged_windows_over()
    {
        using var harness = WindowHarness.Create(EventTimeSessionWindows.WithGap(TimeSpan.FromSeconds(3)), CountTrigger.Of(3));
        harness.ProcessElement("a:1", 0);
        harness.ProcessElement("a:2", 5_000);
        Assert.Empty(harness.Output.Records);

        // Touches both sessions: one window [0, 8000) whose count is 1 + 1 + 1.
        harness.ProcessElement("a:3", 2_500);
        Assert.Equal(["a TimeWindow[0, 8000) [1,2,3]"], harness.Output.Events);

        harness.ProcessWatermark(8_000);
        WindowHarness.AssertNoStateLeft(harness);
    }

    [Fact]
    public void A_typed_custom_trigger_sees_the_elements_as_their_type()
    {
        using var harness = WindowHarness.Create(GlobalWindows.Create(), new FireOnBang());
        foreach (var element in new[] { "a:1", "a:2", "b:1", "a:3!", "a:4", "b:2!" })
        {
            harness.ProcessElement(element, 0);
        }

        Assert.Equal(["a GlobalWindow [1,2,3!]", "b GlobalWindow [1,2!]"], harness.Output.Events);
    }

    [Fact]
    public void Late_elements_within_the_allowed_lateness_reach_the_trigger_and_later_ones_are_dropped()
    {
        using var harness = WindowHarness.Create(TumblingEventTimeWindows.Of(TimeSpan.FromSeconds(10)), EventTimeTrigger.Create(), lateness: TimeSpan.FromSeconds(5));
        harness.ProcessElement("a:1", 1_000);
        harness.ProcessWatermark(10_000);
        harness.ProcessElement("a:2", 2_000);
        harness.ProcessWatermark(15_000);
        harness.ProcessElement("a:3", 3_000);

        Assert.Equal(["a TimeWindow[0, 10000) [1]", "a TimeWindow[0, 10000) [1,2]"], harness.Output.Records.Select(r => r.Value));
        WindowHarness.AssertNoStateLeft(harness);
    }

    /// <summary>Fires and purges when an element ends with '!'.</summary>
    private sealed class FireOnBang : Trigger<string>
    {
        public override TriggerResult OnElement(string element, long timestamp, TimeWindow window, TriggerContext context) =>
            element.EndsWith('!') ? TriggerResult.FireAndPurge : TriggerResult.Continue;

        public override TriggerResult OnEventTime(long time, TimeWindow window, TriggerContext context) => TriggerResult.Continue;

        public override TriggerResult OnProcessingTime(long time, TimeWindow window, TriggerContext context) => TriggerResult.Continue;

        public override void Clear(TimeWindow window, TriggerContext context)
        {
        }
    }
}
