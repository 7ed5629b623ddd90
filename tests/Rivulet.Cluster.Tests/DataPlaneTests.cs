using Microsoft.Extensions.Logging.Abstractions;
using Rivulet.Cluster.Data;
using Rivulet.Core.Runtime;
using Rivulet.Core.Runtime.IO;
using Rivulet.Core.State.Serialization;

namespace Rivulet.Cluster.Tests;

/// <summary>
/// The data plane on its own, over real TCP connections on 127.0.0.1: an outgoing channel of one
/// TaskManager to the data server of another, as a job's remote channel uses them.
/// </summary>
public sealed class DataPlaneTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Batches_and_events_arrive_in_order_and_intact()
    {
        using var server = new DataServer("127.0.0.1", 0, NullLogger.Instance);
        using var stop = new CancellationTokenSource();
        Exception? failure = null;
        var address = new ChannelAddress(3, 1, 0, 0, 1);
        var consumer = new SubtaskSignal();
        var incoming = new BatchChannel(4, consumer, new ChannelStatistics("in", 4));
        server.Register(address, new IncomingRegistration(incoming, new ChannelCodec<long>(new Int64Serializer()), stop.Token, e => failure = e));
        var outgoing = new OutgoingChannel(address, "127.0.0.1", server.Port, new ChannelCodec<long>(new Int64Serializer()), stop.Token);

        // More than the channel and the socket buffers hold: the producer blocks until the consumer takes.
        const int Batches = 2_000;
        var producer = Task.Run(() =>
        {
            for (var b = 0; b < Batches; b++)
            {
                var batch = new RecordBatch<long>(512);
                for (var i = 0; i < 512; i++)
                {
                    batch.Add((b * 512L) + i, b % 2 == 0 ? RecordBatch<long>.NoTimestamp : i);
                }

                Assert.True(outgoing.Put(batch, stop.Token));
                if (b == Batches / 2)
                {
                    Assert.True(outgoing.Put(new CheckpointBarrier(7, 1234, "/checkpoints/chk-7"), stop.Token));
                    Assert.True(outgoing.Put(new WatermarkEvent(99), stop.Token));
                }
            }

            Assert.True(outgoing.Put(EndOfInputEvent.Instance, stop.Token));
        }, TestContext.Current.CancellationToken);

        var items = new List<object>();
        var deadline = DateTime.UtcNow + Deadline;
        while (items.LastOrDefault() is not EndOfInputEvent)
        {
            Assert.True(DateTime.UtcNow < deadline, $"only {items.Count} items arrived; failure: {failure}");
            consumer.Reset();
            if (incoming.TryTake(out var item))
            {
                items.Add(item);
            }
            else
            {
                consumer.Wait(TimeSpan.FromMilliseconds(50), stop.Token);
            }
        }

        await producer;
        Assert.Null(failure);
        var batches = items.OfType<RecordBatch<long>>().ToList();
        Assert.Equal(Batches, batches.Count);
        Assert.Equal(Enumerable.Range(0, Batches * 512).Select(v => (long)v), batches.SelectMany(b => b.Values.Take(b.Count)));
        Assert.All(batches.Where((_, i) => i % 2 == 1), b => Assert.Equal(511, b.TimestampAt(511)));
        Assert.All(batches.Where((_, i) => i % 2 == 0), b => Assert.Null(b.Timestamps));
        var barrierAt = items.FindIndex(i => i is CheckpointBarrier);
        Assert.Equal((Batches / 2) + 1, barrierAt);
        Assert.Equal(new CheckpointBarrier(7, 1234, "/checkpoints/chk-7"), items[barrierAt]);
        Assert.Equal(new WatermarkEvent(99), items[barrierAt + 1]);
    }

    [Fact]
    public async Task Records_written_in_another_format_fail_the_attempt_with_a_message_saying_so()
    {
        using var server = new DataServer("127.0.0.1", 0, NullLogger.Instance);
        using var stop = new CancellationTokenSource();
        var failed = new TaskCompletionSource<Exception>();
        var address = new ChannelAddress(1, 1, 0, 0, 0);
        var incoming = new BatchChannel(4, new SubtaskSignal(), new ChannelStatistics("in", 4));
        // The receiving TaskManager reads ints where the sender writes longs (another serializer, or another version of the job).
        server.Register(address, new IncomingRegistration(incoming, new ChannelCodec<int>(new Int32Serializer()), stop.Token, e => failed.TrySetResult(e)));
        var outgoing = new OutgoingChannel(address, "127.0.0.1", server.Port, new ChannelCodec<long>(new Int64Serializer()), stop.Token);
        var batch = new RecordBatch<long>(4);
        batch.Add(1, RecordBatch<long>.NoTimestamp);
        batch.Add(2, RecordBatch<long>.NoTimestamp);

        Assert.True(outgoing.Put(batch, stop.Token));
        outgoing.Flush();

        var failure = await failed.Task.WaitAsync(Deadline, TestContext.Current.CancellationToken);
        Assert.Contains("another format", failure.Message);
        Assert.Contains("attempt 1", failure.Message);
        Assert.Equal(0, incoming.Count);
    }
}
