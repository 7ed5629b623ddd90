using Rivulet.Core.Graph;

namespace Rivulet.Core.Runtime.IO;

/// <summary>Builds the network writer of one edge for records of one type.</summary>
internal static class RecordWriters
{
    public static RecordWriter<T> Create<T>(StreamEdge edge, IReadOnlyList<IOutputChannel> channels, int subtaskIndex, int maxParallelism, int batchSize, CancellationToken cancellationToken)
    {
        // One downstream channel: every partitioner but broadcast picks it, without hashing keys or counting.
        var single = channels.Count == 1 && edge.Kind != PartitionerKind.Broadcast;
        ChannelSelector<T> selector = (single ? PartitionerKind.Forward : edge.Kind) switch
        {
            // A forward writer gets only its own downstream channel.
            PartitionerKind.Forward => new ForwardSelector<T>(0),
            PartitionerKind.Rebalance => new RoundRobinSelector<T>(channels.Count, subtaskIndex),
            PartitionerKind.Shuffle => new RandomSelector<T>(channels.Count),
            PartitionerKind.Broadcast => new BroadcastSelector<T>(),
            PartitionerKind.Hash => new KeyGroupSelector<T>((Func<T, int>)edge.KeyGroupFunction!(maxParallelism), maxParallelism, channels.Count),
            _ => throw new InvalidOperationException($"unknown partitioner {edge.Kind}"),
        };
        return new RecordWriter<T>(channels, selector, batchSize, cancellationToken);
    }
}
