namespace Rivulet.Core.Runtime.IO;

/// <summary>
/// Aligned checkpoint barriers over a subtask's input channels (Flink's aligned checkpoints): a
/// channel that delivered the barrier of the checkpoint being aligned is blocked (its later
/// elements belong after the snapshot) until every channel that has not ended delivered it; then
/// the checkpoint is taken and all channels open. A barrier of a newer checkpoint abandons the
/// alignment of an older one (which can no longer complete); barriers of older checkpoints are
/// ignored. Not thread-safe: one subtask's thread drives it.
/// </summary>
internal sealed class BarrierAligner(int channels)
{
    private readonly bool[] _blocked = new bool[channels];
    private readonly bool[] _ended = new bool[channels];
    private CheckpointBarrier? _aligning;

    /// <summary>The checkpoint being aligned, if any.</summary>
    public CheckpointBarrier? Aligning => _aligning;

    /// <summary>Whether the channel's elements must wait (it delivered the barrier being aligned).</summary>
    public bool IsBlocked(int channel) => _blocked[channel];

    /// <summary>A barrier arrived on <paramref name="channel"/>; returns the barrier whose alignment it completed, if any.</summary>
    public CheckpointBarrier? OnBarrier(int channel, CheckpointBarrier barrier)
    {
        if (_aligning is { } current && barrier.CheckpointId < current.CheckpointId)
        {
            return null;
        }

        if (_aligning is null || barrier.CheckpointId > _aligning.CheckpointId)
        {
            Array.Clear(_blocked);
            _aligning = barrier;
        }

        _blocked[channel] = true;
        return TryComplete();
    }

    /// <summary>The channel ended: it no longer holds an alignment back; returns the barrier whose alignment completed, if any.</summary>
    public CheckpointBarrier? OnEnded(int channel)
    {
        _ended[channel] = true;
        return TryComplete();
    }

    private CheckpointBarrier? TryComplete()
    {
        if (_aligning is not { } barrier)
        {
            return null;
        }

        for (var c = 0; c < _blocked.Length; c++)
        {
            if (!_blocked[c] && !_ended[c])
            {
                return null;
            }
        }

        Array.Clear(_blocked);
        _aligning = null;
        return barrier;
    }
}
