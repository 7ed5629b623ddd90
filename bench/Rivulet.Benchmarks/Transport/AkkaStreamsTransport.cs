using System.Buffers.Binary;
using System.Diagnostics;
using Akka;
using Akka.Actor;
using Akka.IO;
using Akka.Streams;
using Akka.Streams.Dsl;
using Rivulet.Core.Runtime.IO;
using Tcp = Akka.Streams.Dsl.Tcp;

namespace Rivulet.Benchmarks.Transport;

/// <summary>
/// The same batches over Akka.Streams TCP, as its documentation builds a framed connection: the
/// client stream encodes each batch into a length-prefixed frame and sends it through an outgoing
/// connection; the server's connection handler splits the bytes with <c>Framing.LengthField</c>,
/// decodes each frame and counts. Backpressure is the streams' demand.
/// </summary>
internal static class AkkaStreamsTransport
{
    private const int MaxFrameBytes = 16 * 1024 * 1024;

    public static async Task<BenchmarkFigure> RunAsync(TransportPayload payload, CancellationToken cancellationToken)
    {
        using var system = ActorSystem.Create("transport-bench", "akka.loglevel = WARNING\nakka.stdout-loglevel = WARNING");
        var materializer = system.Materializer();
        var arrived = new TaskCompletionSource<(long Received, long Sum)>(TaskCreationOptions.RunContinuationsAsynchronously);
        long received = 0, sum = 0;
        var receive = Flow.Create<ByteString>()
            .Via(Framing.LengthField(4, MaxFrameBytes, 0, ByteOrder.LittleEndian))
            .Select(frame => Decode(payload.Codec, frame))
            .To(Sink.ForEach<object>(item =>
            {
                if (item is EndOfInputEvent)
                {
                    arrived.TrySetResult((received, sum));
                }

                TransportPayload.Tally(item, ref received, ref sum);
            }));
        // The server writes nothing back; a source that never completes keeps the connection open.
        var handler = Flow.FromSinkAndSource(receive, Source.Maybe<ByteString>().MapMaterializedValue(_ => NotUsed.Instance));
        var binding = await system.TcpStream().Bind("127.0.0.1", 0)
            .To(Sink.ForEach<Tcp.IncomingConnection>(connection => connection.HandleWith(handler, materializer)))
            .Run(materializer);
        var port = ((System.Net.IPEndPoint)binding.LocalAddress).Port;

        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        var items = payload.Batches().Cast<object>().Append(EndOfInputEvent.Instance);
        _ = Source.From(items)
            .Select(item => Encode(payload.Codec, item))
            .Via(system.TcpStream().OutgoingConnection("127.0.0.1", port))
            .RunWith(Sink.Ignore<ByteString>(), materializer);
        var (count, total) = await arrived.Task.WaitAsync(TimeSpan.FromMinutes(5), cancellationToken);
        clock.Stop();
        var used = Process.GetCurrentProcess().TotalProcessorTime - cpu;
        await binding.Unbind();
        payload.Verify("Akka.Streams TCP", count, total);
        return new BenchmarkFigure("Akka.Streams TCP (Framing.LengthField)", count, clock.Elapsed) { ProcessCpu = used };
    }

    private static ByteString Encode(ChannelCodec codec, object item)
    {
        using var frame = new MemoryStream();
        using var writer = new BinaryWriter(frame);
        writer.Write(0);
        codec.Write(item, writer);
        writer.Flush();
        var bytes = frame.ToArray();
        BinaryPrimitives.WriteInt32LittleEndian(bytes, bytes.Length - sizeof(int));
        return ByteString.FromBytes(bytes);
    }

    private static object Decode(ChannelCodec codec, ByteString frame)
    {
        using var reader = new BinaryReader(new MemoryStream(frame.ToArray(), sizeof(int), frame.Count - sizeof(int), writable: false));
        return codec.Read(reader);
    }
}
