using Rivulet.Core.Api.Functions;
using Rivulet.Core.Time;

namespace Rivulet.Core.Tests.EventTime;

/// <summary>Per-split watermarks inside a source, driven directly: punctuated, or periodic on a fake clock.</summary>
public sealed class SplitWatermarksTests
{
    // Each element carries the watermark that should follow it: a punctuated strategy.
    private static readonly WatermarkStrategy<long> WatermarkIsValue = WatermarkStrategy<long>.ForPunctuated((value, _) => value);

    [Fact]
    public void The_source_emits_the_minimum_over_its_splits()
    {
        var output = new RecordingSourceContext();
        var watermarks = new SplitWatermarks<string, long>(WatermarkIsValue, output, TimeSpan.Zero);
        watermarks.AddSplit("a");
        watermarks.AddSplit("b");

        watermarks.Collect("a", 500, 1);
        Assert.Empty(output.Watermarks); // b has said nothing yet
        watermarks.Collect("b", 200, 2);
        watermarks.Collect("a", 900, 3);
        watermarks.Collect("b", 700, 4);

        Assert.Equal([200L, 700L], output.Watermarks); // 500 and 900 are never the minimum
        Assert.Equal([(500L, 1L), (200L, 2L), (900L, 3L), (700L, 4L)], output.Elements);
    }

    [Fact]
    public void A_subtask_without_splits_is_idle()
    {
        var output = new RecordingSourceContext();
        var watermarks = new SplitWatermarks<string, long>(WatermarkIsValue, output, TimeSpan.Zero);

        watermarks.EmitPeriodicIfDue();

        Assert.Equal(1, output.IdleMarks);
    }

    [Fact]
    public void An_idle_split_stops_holding_back_the_others_and_all_idle_flushes_the_furthest()
    {
        var output = new RecordingSourceContext();
        var watermarks = new SplitWatermarks<string, ScriptedIdleness.Element>(
            WatermarkStrategy<ScriptedIdleness.Element>.ForGenerator(() => new ScriptedIdleness.Generator()), output.For<ScriptedIdleness.Element>(), TimeSpan.Zero);
        watermarks.AddSplit("a");
        watermarks.AddSplit("b");

        watermarks.Collect("a", new(Watermark: 100, Idle: false), 0);
        watermarks.Collect("b", new(Watermark: 50, Idle: false), 0);
        watermarks.Collect("a", new(Watermark: 300, Idle: false), 0);
        watermarks.Collect("b", new(Watermark: 60, Idle: true), 0);   // b goes idle: a alone counts
        watermarks.Collect("a", new(Watermark: 400, Idle: true), 0);  // all idle: the furthest (400) is flushed, then idle

        Assert.Equal([50L, 60L, 300L, 400L], output.Watermarks);
        Assert.Equal(1, output.IdleMarks);
    }

    [Fact]
    public void A_split_goes_idle_after_its_idle_timeout_on_the_jobs_clock_and_active_with_its_next_record()
    {
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UtcNow);
        var output = new RecordingSourceContext();
        var strategy = WatermarkStrategy<long>.ForBoundedOutOfOrderness(TimeSpan.Zero).WithTimestampAssigner((value, _) => value).WithIdleness(TimeSpan.FromMinutes(5));
        var watermarks = new SplitWatermarks<string, long>(strategy, output, TimeSpan.FromSeconds(1), clock);
        watermarks.AddSplit("quiet");
        watermarks.Collect("quiet", 1_000, 0);

        // Four minutes without records (periodic emits every second of the fake clock): still active.
        for (var second = 0; second < 240; second++)
        {
            clock.Advance(TimeSpan.FromSeconds(1));
            watermarks.EmitPeriodicIfDue();
        }

        Assert.Equal(0, output.IdleMarks);
        for (var second = 0; second < 120; second++)
        {
            clock.Advance(TimeSpan.FromSeconds(1));
            watermarks.EmitPeriodicIfDue();
        }

        Assert.Equal(1, output.IdleMarks);
        Assert.Equal([999L], output.Watermarks.Distinct());
    }

    [Fact]
    public void Each_subtask_gets_its_own_copy_of_a_stateful_timestamp_assigner()
    {
        var strategy = WatermarkStrategy<long>.ForMonotonousTimestamps().WithTimestampAssigner(new CountingAssigner());
        var first = (CountingAssigner)strategy.CreateTimestampAssigner();
        var second = (CountingAssigner)strategy.CreateTimestampAssigner();

        first.ExtractTimestamp(10, 0);
        first.ExtractTimestamp(20, 0);
        second.ExtractTimestamp(30, 0);

        Assert.NotSame(first, second);
        Assert.Equal(2, first.Calls);
        Assert.Equal(1, second.Calls);
    }

    private sealed class CountingAssigner : ITimestampAssigner<long>
    {
        public int Calls { get; private set; }

        public long ExtractTimestamp(long element, long recordTimestamp)
        {
            Calls++;
            return element;
        }
    }

    /// <summary>A generator whose elements say which watermark to emit and whether to go idle after it.</summary>
    private static class ScriptedIdleness
    {
        public sealed record Element(long Watermark, bool Idle);

        public sealed class Generator : IWatermarkGenerator<Element>
        {
            public void OnEvent(Element element, long eventTimestamp, IWatermarkOutput output)
            {
                output.EmitWatermark(element.Watermark);
                if (element.Idle)
                {
                    output.MarkIdle();
                }
            }

            public void OnPeriodicEmit(IWatermarkOutput output)
            {
            }
        }
    }

    /// <summary>Records what a source emits.</summary>
    private sealed class RecordingSourceContext : ISourceContext<long>
    {
        public List<(long Element, long Timestamp)> Elements { get; } = [];

        public List<long> Watermarks { get; } = [];

        public int IdleMarks { get; private set; }

        public void Collect(long element) => Elements.Add((element, long.MinValue));

        public void CollectWithTimestamp(long element, long timestampMs) => Elements.Add((element, timestampMs));

        public void EmitWatermark(long watermarkMs) => Watermarks.Add(watermarkMs);

        public void MarkAsTemporarilyIdle() => IdleMarks++;

        public void YieldToRuntime()
        {
        }

        public ISourceContext<T> For<T>() => new Typed<T>(this);

        private sealed class Typed<T>(RecordingSourceContext owner) : ISourceContext<T>
        {
            public void Collect(T element)
            {
            }

            public void CollectWithTimestamp(T element, long timestampMs)
            {
            }

            public void EmitWatermark(long watermarkMs) => owner.EmitWatermark(watermarkMs);

            public void MarkAsTemporarilyIdle() => owner.MarkAsTemporarilyIdle();

            public void YieldToRuntime()
            {
            }
        }
    }
}
