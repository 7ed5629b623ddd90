namespace Rivulet.Core.Runtime.IO;

/// <summary>How records of an edge are spread over the downstream subtasks.</summary>
internal enum PartitionerKind
{
    /// <summary>Not chosen by the user: forward at equal parallelism, else rebalance (as Flink).</summary>
    Default,

    /// <summary>Subtask i to subtask i (same parallelism): chained when possible.</summary>
    Forward,

    /// <summary>Round robin over all downstream subtasks.</summary>
    Rebalance,

    /// <summary>A random downstream subtask per record.</summary>
    Shuffle,

    /// <summary>Every record to every downstream subtask.</summary>
    Broadcast,

    /// <summary>By key group of the record's key (KeyBy).</summary>
    Hash,
}

/// <summary>Chooses the downstream channel(s) of one record.</summary>
internal abstract class ChannelSelector<T>
{
    /// <summary>The channel for the record, or -1 for all (broadcast).</summary>
    public abstract int Select(T value);
}

internal sealed class ForwardSelector<T>(int subtaskIndex) : ChannelSelector<T>
{
    public int Channel => subtaskIndex;

    public override int Select(T value) => subtaskIndex;
}

internal sealed class RoundRobinSelector<T>(int channels, int start) : ChannelSelector<T>
{
    private int _next = start % channels;

    public override int Select(T value)
    {
        var channel = _next;
        _next = channel + 1 == channels ? 0 : channel + 1;
        return channel;
    }
}

internal sealed class RandomSelector<T>(int channels) : ChannelSelector<T>
{
    public override int Select(T value) => Random.Shared.Next(channels);
}

internal sealed class BroadcastSelector<T> : ChannelSelector<T>
{
    public override int Select(T value) => -1;
}

internal sealed class KeyGroupSelector<T>(Func<T, int> keyGroupOf, int maxParallelism, int channels) : ChannelSelector<T>
{
    // The subtask of each key group, worked out once: computing it per record cost a division.
    private readonly int[] _channelOfKeyGroup = [.. Enumerable.Range(0, maxParallelism).Select(g => State.KeyGroupRange.SubtaskFor(g, maxParallelism, channels))];

    public override int Select(T value) => _channelOfKeyGroup[keyGroupOf(value)];
}
