using Rivulet.Core.Graph;
using Rivulet.Core.Runtime;
using Rivulet.Core.Runtime.IO;
using Rivulet.Core.State.Serialization;

namespace Rivulet.Cluster.Data;

/// <summary>
/// The channels of one TaskManager's part of an attempt that lead to or come from subtasks on
/// other TaskManagers: outgoing ones connect to the consumer's data server, incoming ones are
/// registered with this TaskManager's data server for the sender to find.
/// </summary>
internal sealed class RemoteChannels(int attempt, JobGraph graph, Func<JobVertex, int, (string Host, int Port)> dataEndpointOf, DataServer server, int capacity, TypeSerializerRegistry serializers,
    CancellationToken cancellation, Action<Exception> onFailure) : IRemoteChannels
{
    public IOutputChannel Outgoing(StreamEdge edge, int producer, int consumer)
    {
        var (host, port) = dataEndpointOf(graph.VertexOf(edge.Target), consumer);
        return new OutgoingChannel(Address(edge, producer, consumer), host, port, edge.Source.CreateChannelCodec(edge, serializers), cancellation);
    }

    public BatchChannel Incoming(StreamEdge edge, int producer, int consumer, SubtaskSignal consumerSignal, ChannelStatistics statistics)
    {
        var channel = new BatchChannel(capacity, consumerSignal, statistics);
        server.Register(Address(edge, producer, consumer), new IncomingRegistration(channel, edge.Source.CreateChannelCodec(edge, serializers), cancellation, onFailure));
        return channel;
    }

    private ChannelAddress Address(StreamEdge edge, int producer, int consumer)
    {
        var vertex = graph.VertexOf(edge.Target);
        return new ChannelAddress(attempt, vertex.Index, vertex.Head.Inputs.IndexOf(edge), producer, consumer);
    }
}
