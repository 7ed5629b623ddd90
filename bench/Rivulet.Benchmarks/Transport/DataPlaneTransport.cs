using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using Rivulet.Cluster.Data;
using Rivulet.Core.Runtime;
using Rivulet.Core.Runtime.IO;

namespace Rivulet.Benchmarks.Transport;

/// <summary>
/// Rivulet's data plane as the cluster runs it: the producer thread puts batches into an outgoing
/// channel, which writes them as length-prefixed frames to its own TCP connection; the data
/// server's receiver thread decodes them into the consumer's channel, which this thread drains.
/// </summary>
internal static class DataPlaneTransport
{
    private const int Capacity = 16;

    public static BenchmarkFigure Run(TransportPayload payload, CancellationToken cancellationToken)
    {
        using var server = new DataServer("127.0.0.1", 0, NullLogger.Instance);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        Exception? failure = null;
        void Fail(Exception e) => Interlocked.CompareExchange(ref failure, e, null);
        var address = new ChannelAddress(0, 1, 0, 0, 0);
        var consumer = new SubtaskSignal();
        var incoming = new BatchChannel(Capacity, consumer, new ChannelStatistics("incoming", Capacity));
        server.Register(address, new IncomingRegistration(incoming, payload.Codec, stop.Token, Fail));
        var outgoing = new OutgoingChannel(address, "127.0.0.1", server.Port, payload.Codec, stop.Token);

        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        var producer = new Thread(() =>
        {
            try
            {
                foreach (var batch in payload.Batches())
                {
                    if (!outgoing.Put(batch, stop.Token))
                    {
                        return;
                    }
                }

                outgoing.Put(EndOfInputEvent.Instance, stop.Token);
            }
            catch (IOException e)
            {
                Fail(e);
            }
        }) { IsBackground = true, Name = "transport bench producer" };
        producer.Start();

        long received = 0, sum = 0;
        while (true)
        {
            consumer.Reset();
            if (incoming.TryTake(out var item))
            {
                if (item is EndOfInputEvent)
                {
                    break;
                }

                TransportPayload.Tally(item, ref received, ref sum);
                continue;
            }

            if (Volatile.Read(ref failure) is { } error)
            {
                throw new InvalidOperationException("the data plane failed", error);
            }

            consumer.Wait(TimeSpan.FromMilliseconds(50), stop.Token);
        }

        clock.Stop();
        var used = Process.GetCurrentProcess().TotalProcessorTime - cpu;
        stop.Cancel();
        outgoing.Close();
        producer.Join();
        payload.Verify("data plane", received, sum);
        return new BenchmarkFigure("Rivulet data plane (sockets, threads)", received, clock.Elapsed) { ProcessCpu = used };
    }
}
