namespace Rivulet.Core.Runtime.IO;

/// <summary>
/// Combines the watermarks and idleness of several inputs into one (Flink's <c>StatusWatermarkValve</c>):
/// the input channels of a subtask, or the splits (partitions) of a source subtask. The one place
/// of the rule:
/// <list type="bullet">
/// <item>the combined watermark is the minimum over the active inputs (neither idle nor ended), and
/// only ever rises;</item>
/// <item>an input back from idle below the combined watermark cannot pull it down; with
/// <c>holdBackReturningInputs</c> false (channels, as Flink's valve) it does not hold the others
/// back either and counts again once it caught up ("aligned"); with true (splits, as Flink's
/// source watermark multiplexer) it holds the watermark where it is until it caught up, so fewer
/// of its elements arrive late;</item>
/// <item>when every input is idle or ended, the highest watermark of the idle inputs is emitted
/// (nothing they promised stays unsaid), then the output goes idle — unless every input ended,
/// which ends the output instead (or, with <c>idleWithoutInputs</c>, also makes it idle: a source
/// subtask without splits).</item>
/// </list>
/// Not thread-safe: one subtask's thread drives it.
/// </summary>
internal sealed class WatermarkValve(Action<long> emitWatermark, Action<bool> emitIdleness, bool idleWithoutInputs = false, bool holdBackReturningInputs = false)
{
    private readonly List<InputStatus> _inputs = [];
    private bool _idle;

    /// <summary>The combined watermark emitted last (<see cref="long.MinValue"/> before the first).</summary>
    public long CurrentWatermark { get; private set; } = long.MinValue;

    /// <summary>Whether the output was last declared idle.</summary>
    public bool IsIdle => _idle;

    /// <summary>Adds an input (active, no watermark yet: it holds the others back until its first); returns its index.</summary>
    public int AddInput()
    {
        _inputs.Add(new InputStatus());
        return _inputs.Count - 1;
    }

    /// <summary>A watermark of input <paramref name="input"/>; lower than its last is ignored.</summary>
    public void InputWatermark(int input, long watermark)
    {
        var status = _inputs[input];
        if (status.Ended || watermark <= status.Watermark)
        {
            return;
        }

        status.Watermark = watermark;
        if (status.Behind && watermark >= CurrentWatermark)
        {
            status.Behind = false;
        }

        Recompute();
    }

    /// <summary>Input <paramref name="input"/> went idle, or became active again.</summary>
    public void InputIdleness(int input, bool idle)
    {
        var status = _inputs[input];
        if (status.Ended || status.Idle == idle)
        {
            return;
        }

        // Back from idle but behind what was already promised: it must not pull the minimum down
        // (held back: it is part of the minimum, which cannot fall below what was emitted).
        status.Behind = !idle && !holdBackReturningInputs && status.Watermark < CurrentWatermark;
        status.Idle = idle;
        Recompute();
    }

    /// <summary>Input <paramref name="input"/> ended (its channel closed, its split finished): it no longer counts.</summary>
    public void InputEnded(int input)
    {
        var status = _inputs[input];
        if (!status.Ended)
        {
            status.Ended = true;
            Recompute();
        }
    }

    /// <summary>
    /// The output emitted a record, which makes it active downstream without an idleness event
    /// (a source's records); the next time all inputs are idle, idleness is declared again.
    /// </summary>
    public void OutputBecameActive() => _idle = false;

    /// <summary>Applies the rule to the inputs as they stand (e.g. when there are none yet).</summary>
    public void Recompute()
    {
        var min = long.MaxValue;
        var anyActive = false;
        var anyAligned = false;
        var anyOpen = false;
        foreach (var status in _inputs)
        {
            if (status.Ended)
            {
                continue;
            }

            anyOpen = true;
            if (status.Idle)
            {
                continue;
            }

            anyActive = true;
            if (!status.Behind)
            {
                anyAligned = true;
                min = Math.Min(min, status.Watermark);
            }
        }

        if (!anyActive)
        {
            var max = long.MinValue;
            foreach (var status in _inputs)
            {
                if (!status.Ended)
                {
                    max = Math.Max(max, status.Watermark);
                }
            }

            Emit(max);
            if (!_idle && (anyOpen || idleWithoutInputs))
            {
                _idle = true;
                emitIdleness(true);
            }

            return;
        }

        if (_idle)
        {
            _idle = false;
            emitIdleness(false);
        }

        if (anyAligned)
        {
            Emit(min);
        }
    }

    private void Emit(long watermark)
    {
        if (watermark > CurrentWatermark)
        {
            CurrentWatermark = watermark;
            emitWatermark(watermark);
        }
    }

    private sealed class InputStatus
    {
        public long Watermark { get; set; } = long.MinValue;

        public bool Idle { get; set; }

        /// <summary>Active again after idling, but still below the combined watermark.</summary>
        public bool Behind { get; set; }

        public bool Ended { get; set; }
    }
}
