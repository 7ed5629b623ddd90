using Rivulet.Core.Api.Functions;

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
    private long _nextPeriodicEmit;
    private long _emitted = long.MinValue;
    private bool _idle;

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
    }

    /// <summary>The watermark emitted last (<see cref="long.MinValue"/> before the first).</summary>
    public long CurrentWatermark => _emitted;

    /// <summary>Starts tracking a split: until its first record its watermark holds the others back (unless it goes idle).</summary>
    public void AddSplit(TSplit split)
    {
        if (!_splits.ContainsKey(split))
        {
            _splits[split] = new SplitOutput(this, _strategy.CreateWatermarkGenerator(_clock));
        }
    }

    /// <summary>Stops tracking a split that has ended (a bounded source reached its stopping offset): it no longer holds the others back.</summary>
    public void RemoveSplit(TSplit split)
    {
        if (_splits.Remove(split))
        {
            Combine();
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
        _idle = false; // emitting a record makes the subtask active again
        output.Generator.OnEvent(element, timestamp, output);
    }

    /// <summary>Runs the periodic generators once the auto-watermark interval has passed, and emits the combined watermark.</summary>
    public void EmitPeriodicIfDue()
    {
        if (_intervalTicks == 0)
        {
            if (_splits.Count == 0)
            {
                Combine();
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

        Combine();
    }

    private void Combine()
    {
        var min = long.MaxValue;
        var anyActive = false;
        foreach (var output in _splits.Values)
        {
            if (!output.Idle)
            {
                anyActive = true;
                min = Math.Min(min, output.Watermark);
            }
        }

        if (!anyActive)
        {
            // All splits idle: none holds the others back any more, so what the furthest one
            // promised is emitted before going idle — otherwise splits that went idle within the
            // same interval would leave their progress unsaid (the valve downstream does the same).
            var max = long.MinValue;
            foreach (var output in _splits.Values)
            {
                max = Math.Max(max, output.Watermark);
            }

            if (max > _emitted)
            {
                _emitted = max;
                _context.EmitWatermark(max);
            }

            if (!_idle)
            {
                _idle = true;
                _context.MarkAsTemporarilyIdle();
            }

            return;
        }

        if (min > _emitted && min != long.MinValue)
        {
            _emitted = min;
            _idle = false;
            _context.EmitWatermark(min);
        }
    }

    /// <summary>One split's generator output: its own watermark and idleness.</summary>
    private sealed class SplitOutput(SplitWatermarks<TSplit, T> owner, IWatermarkGenerator<T> generator) : IWatermarkOutput
    {
        public IWatermarkGenerator<T> Generator { get; } = generator;

        public long Watermark { get; private set; } = long.MinValue;

        public bool Idle { get; private set; }

        public void EmitWatermark(long watermark)
        {
            Idle = false;
            if (watermark > Watermark)
            {
                Watermark = watermark;
                owner.Combine();
            }
        }

        public void MarkIdle()
        {
            if (!Idle)
            {
                Idle = true;
                owner.Combine(); // the others may advance now
            }
        }

        public void MarkActive() => Idle = false;
    }
}
