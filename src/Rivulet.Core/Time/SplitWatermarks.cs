using Rivulet.Core.Api.Functions;
using Rivulet.Core.Runtime.IO;

namespace Rivulet.Core.Time;

/// <summary>
/// Watermarks generated inside a source, one generator per split (for Kafka: per partition), and
/// emitted as their minimum — so a partition that is behind holds the watermark back, as it must,
/// while an idle partition (its strategy's idleness timeout passed) does not. A source subtask
/// with no split, or whose splits are all idle, is marked idle as a whole. Call it from the
/// source's loop only: <see cref="Collect"/> per record, <see cref="EmitPeriodicIfDue"/> whenever
/// the loop comes round (also when a poll returned nothing).
/// </summary>
public sealed class SplitWatermarks<TSplit, T>
    where TSplit : notnull
{
    private readonly WatermarkStrategy<T> _strategy;
    private readonly ITimestampAssigner<T> _assigner;
    private readonly ISourceContext<T> _context;
    private readonly long _intervalTicks;
    private readonly TimeProvider _clock;
    private readonly Dictionary<TSplit, SplitOutput> _splits = [];
    private readonly WatermarkValve _valve;
    private long _nextPeriodicEmit;

    /// <summary>Watermarks for the splits (partitions) of one source subtask.</summary>
    /// <param name="strategy">Creates each split's timestamp assigner and watermark generator.</param>
    /// <param name="context">Where the combined watermark and the elements go.</param>
    /// <param name="interval">The auto-watermark interval (<see cref="IRuntimeContext.AutoWatermarkInterval"/>); zero = punctuated only.</param>
    /// <param name="clock">The clock of periodic emission and idleness (<see cref="IRuntimeContext.TimeProvider"/>); the system clock when null.</param>
    public SplitWatermarks(WatermarkStrategy<T> strategy, ISourceContext<T> context, TimeSpan interval, TimeProvider? clock = null)
    {
        ArgumentNullException.ThrowIfNull(strategy);
        ArgumentNullException.ThrowIfNull(context);
        _strategy = strategy;
        _assigner = strategy.CreateTimestampAssigner();
        _context = context;
        _clock = clock ?? TimeProvider.System;
        _intervalTicks = interval > TimeSpan.Zero ? (long)(interval.TotalSeconds * _clock.TimestampFrequency) : 0;
        _nextPeriodicEmit = _clock.GetTimestamp() + _intervalTicks;

        // A split back from idleness holds the watermark until it caught up (fewer of its records
        // arrive late); a subtask without splits is idle. The source context ends idleness itself
        // with the next record or watermark.
        _valve = new WatermarkValve(context.EmitWatermark, idle =>
        {
            if (idle)
            {
                context.MarkAsTemporarilyIdle();
            }
        }, idleWithoutInputs: true, holdBackReturningInputs: true);
    }

    /// <summary>The watermark emitted last (<see cref="long.MinValue"/> before the first).</summary>
    public long CurrentWatermark => _valve.CurrentWatermark;

    /// <summary>Starts tracking a split: until its first record its watermark holds the others back (unless it goes idle).</summary>
    public void AddSplit(TSplit split)
    {
        if (!_splits.ContainsKey(split))
        {
            _splits[split] = new SplitOutput(_valve, _valve.AddInput(), _strategy.CreateWatermarkGenerator(_clock));
        }
    }

    /// <summary>Stops tracking a split that has ended (a bounded source reached its stopping offset): it no longer holds the others back.</summary>
    public void RemoveSplit(TSplit split)
    {
        if (_splits.Remove(split, out var output))
        {
            _valve.InputEnded(output.Input);
        }
    }

    /// <summary>
    /// Emits <paramref name="element"/> with its assigned timestamp, then lets the split's generator
    /// see it (a punctuated watermark follows the element, never precedes it).
    /// </summary>
    public void Collect(TSplit split, T element, long recordTimestamp)
    {
        if (!_splits.TryGetValue(split, out var output))
        {
            AddSplit(split);
            output = _splits[split];
        }

        var timestamp = _assigner.ExtractTimestamp(element, recordTimestamp);
        _context.CollectWithTimestamp(element, timestamp);
        _valve.OutputBecameActive(); // emitting a record makes the subtask active again
        output.Generator.OnEvent(element, timestamp, output);
    }

    /// <summary>Runs the periodic generators once the auto-watermark interval has passed, and emits the combined watermark.</summary>
    public void EmitPeriodicIfDue()
    {
        if (_intervalTicks == 0)
        {
            if (_splits.Count == 0)
            {
                _valve.Recompute();
            }

            return;
        }

        var now = _clock.GetTimestamp();
        if (now < _nextPeriodicEmit)
        {
            return;
        }

        _nextPeriodicEmit = now + _intervalTicks;
        foreach (var output in _splits.Values)
        {
            output.Generator.OnPeriodicEmit(output);
        }

        _valve.Recompute();
    }

    /// <summary>One split's generator output: its watermark and idleness, as one input of the valve.</summary>
    private sealed class SplitOutput(WatermarkValve valve, int input, IWatermarkGenerator<T> generator) : IWatermarkOutput
    {
        public IWatermarkGenerator<T> Generator { get; } = generator;

        public int Input { get; } = input;

        public void EmitWatermark(long watermark)
        {
            valve.InputIdleness(Input, false);
            valve.InputWatermark(Input, watermark);
        }

        public void MarkIdle() => valve.InputIdleness(Input, true);

        public void MarkActive() => valve.InputIdleness(Input, false);
    }
}
