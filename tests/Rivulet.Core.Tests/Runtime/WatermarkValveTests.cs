using Rivulet.Core.Runtime.IO;

namespace Rivulet.Core.Tests.Runtime;

/// <summary>The watermark valve on its own: inputs driven by hand, what it emits recorded in order.</summary>
public sealed class WatermarkValveTests
{
    private readonly List<string> _emitted = [];

    [Fact]
    public void The_combined_watermark_is_the_minimum_of_the_inputs_and_only_rises()
    {
        var valve = Valve(3);
        valve.InputWatermark(0, 10);
        valve.InputWatermark(1, 20);
        Assert.Empty(_emitted); // input 2 has said nothing yet: it holds the others back

        valve.InputWatermark(2, 5);
        valve.InputWatermark(2, 15);
        valve.InputWatermark(0, 30);
        valve.InputWatermark(0, 25); // lower than that input's last: ignored
        Assert.Equal(["W5", "W10", "W15"], _emitted);
        Assert.Equal(15, valve.CurrentWatermark);
    }

    [Fact]
    public void An_idle_input_does_not_hold_the_others_back_and_all_idle_flushes_the_highest_then_goes_idle()
    {
        var valve = Valve(2);
        valve.InputWatermark(0, 10);
        valve.InputIdleness(1, true);
        Assert.Equal(["W10"], _emitted);

        valve.InputWatermark(1, 40); // an idle input's watermark is remembered…
        valve.InputIdleness(0, true); // …and flushed when every input is idle
        Assert.Equal(["W10", "W40", "idle"], _emitted);
        Assert.True(valve.IsIdle);

        valve.InputIdleness(0, false);
        Assert.Equal(["W10", "W40", "idle", "active"], _emitted);
    }

    [Fact]
    public void A_channel_back_from_idle_below_the_watermark_neither_pulls_it_down_nor_holds_it_back_until_it_caught_up()
    {
        var valve = Valve(2);
        valve.InputWatermark(0, 10);
        valve.InputWatermark(1, 10);
        valve.InputIdleness(1, true);
        valve.InputWatermark(0, 50);
        valve.InputIdleness(1, false); // still at 10: behind 50
        valve.InputWatermark(0, 60);
        Assert.Equal(["W10", "W50", "W60"], _emitted);

        valve.InputWatermark(1, 55); // still behind 60: not counted…
        valve.InputWatermark(0, 62); // …so 62 goes out
        valve.InputWatermark(1, 65); // caught up: counts again…
        valve.InputWatermark(0, 80); // …and holds 80 back at 65
        Assert.Equal(["W10", "W50", "W60", "W62", "W65"], _emitted);
        valve.InputWatermark(1, 90);
        Assert.Equal(["W10", "W50", "W60", "W62", "W65", "W80"], _emitted);
    }

    [Fact]
    public void A_split_back_from_idle_holds_the_watermark_where_it_is_until_it_caught_up()
    {
        var valve = Valve(2, holdBack: true);
        valve.InputWatermark(0, 10);
        valve.InputWatermark(1, 10);
        valve.InputIdleness(1, true);
        valve.InputWatermark(0, 50);
        valve.InputIdleness(1, false);
        valve.InputWatermark(0, 60);
        Assert.Equal(["W10", "W50"], _emitted);

        valve.InputWatermark(1, 55);
        Assert.Equal(["W10", "W50", "W55"], _emitted);
    }

    [Fact]
    public void Ended_inputs_stop_counting_and_all_ended_is_not_idleness_unless_asked()
    {
        var valve = Valve(2);
        valve.InputWatermark(0, 10);
        valve.InputEnded(1);
        valve.InputEnded(0);
        Assert.Equal(["W10"], _emitted);
        Assert.False(valve.IsIdle);

        var sources = new WatermarkValve(w => _emitted.Add($"W{w}"), idle => _emitted.Add(idle ? "idle" : "active"), idleWithoutInputs: true);
        sources.Recompute();
        Assert.Equal(["W10", "idle"], _emitted);
    }

    [Fact]
    public void A_record_of_the_output_makes_the_next_all_idle_declare_idleness_again()
    {
        var valve = Valve(1);
        valve.InputIdleness(0, true);
        valve.OutputBecameActive();
        valve.InputWatermark(0, 5);
        valve.Recompute();
        Assert.Equal(["idle", "W5", "idle"], _emitted);
    }

    private WatermarkValve Valve(int inputs, bool holdBack = false)
    {
        var valve = new WatermarkValve(w => _emitted.Add($"W{w}"), idle => _emitted.Add(idle ? "idle" : "active"), holdBackReturningInputs: holdBack);
        for (var i = 0; i < inputs; i++)
        {
            Assert.Equal(i, valve.AddInput());
        }

        return valve;
    }
}
