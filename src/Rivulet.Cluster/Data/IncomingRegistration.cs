using Rivulet.Core.Runtime.IO;

namespace Rivulet.Cluster.Data;

/// <summary>Where the items of an incoming data connection go: the local channel, how to read them, and whom to tell when the connection breaks.</summary>
internal sealed record IncomingRegistration(BatchChannel Channel, ChannelCodec Codec, CancellationToken Cancellation, Action<Exception> OnFailure);
