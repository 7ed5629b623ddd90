namespace Rivulet.Core.Runtime.IO;

/// <summary>
/// The input channels of one subtask as its loop sees them: takes the next item round-robin from
/// the channels that are neither ended nor blocked by barrier alignment, and keeps the watermark
/// valve and the barrier aligner over them. Not thread-safe: the subtask's thread drives it.
/// </summary>
internal sealed class InputGate
{
    private readonly IReadOnlyList<BatchChannel> _channels;
    private readonly bool[] _ended;
    private int _next;

    /// <param name="channels">The channels, in input order.</param>
    /// <param name="emitWatermark">Receives the combined watermark whenever it rises.</param>
    /// <param name="emitIdleness">Receives the subtask's idleness whenever it changes.</param>
    public InputGate(IReadOnlyList<BatchChannel> channels, Action<long> emitWatermark, Action<bool> emitIdleness)
    {
        _channels = channels;
        _ended = new bool[channels.Count];
        Open = channels.Count;
        Valve = new WatermarkValve(emitWatermark, emitIdleness);
        for (var c = 0; c < channels.Count; c++)
        {
            Valve.AddInput();
        }

        Aligner = new BarrierAligner(channels.Count);
    }

    /// <summary>How many channels have not ended.</summary>
    public int Open { get; private set; }

    public WatermarkValve Valve { get; }

    public BarrierAligner Aligner { get; }

    /// <summary>The next item of a channel that may deliver, starting after the channel that delivered last (no channel starves).</summary>
    public bool TryTake(out int channel, out object item)
    {
        for (var n = 0; n < _channels.Count; n++)
        {
            var c = (_next + n) % _channels.Count;
            if (_ended[c] || Aligner.IsBlocked(c) || !_channels[c].TryTake(out item))
            {
                continue;
            }

            _next = c + 1;
            channel = c;
            return true;
        }

        channel = -1;
        item = null!;
        return false;
    }

    /// <summary>The channel delivered its end of input; returns the barrier whose alignment that completed, if any.</summary>
    public CheckpointBarrier? End(int channel)
    {
        _ended[channel] = true;
        Open--;
        Valve.InputEnded(channel);
        return Aligner.OnEnded(channel);
    }
}
