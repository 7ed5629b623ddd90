using Rivulet.Core.Graph;

namespace Rivulet.Core.Runtime.IO;

/// <summary>
/// Channels whose other end runs in another process (a cluster's TaskManagers). The engine only
/// sees <see cref="IOutputChannel"/>s: an outgoing one sends what its producer puts, an incoming
/// <see cref="BatchChannel"/> is filled by a receiver — each blocking when the other side is slow,
/// so backpressure crosses the network like it crosses threads.
/// </summary>
internal interface IRemoteChannels
{
    /// <summary>The channel of <paramref name="edge"/> from local subtask <paramref name="producer"/> to remote subtask <paramref name="consumer"/>: what is put into it is sent.</summary>
    IOutputChannel Outgoing(StreamEdge edge, int producer, int consumer);

    /// <summary>The channel of <paramref name="edge"/> from remote subtask <paramref name="producer"/> to local subtask <paramref name="consumer"/>: what arrives is put into it, waking <paramref name="consumerSignal"/>.</summary>
    BatchChannel Incoming(StreamEdge edge, int producer, int consumer, SubtaskSignal consumerSignal, ChannelStatistics statistics);
}
