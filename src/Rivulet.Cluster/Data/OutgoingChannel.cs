using System.Net.Sockets;
using Rivulet.Core.Runtime;
using Rivulet.Core.Runtime.IO;

namespace Rivulet.Cluster.Data;

/// <summary>
/// The sending end of a channel to a subtask on another TaskManager: the local producer puts into
/// <see cref="Channel"/> as into any channel; a thread of its own connects to the consumer's data
/// server and writes what it takes from the channel, flushing whenever the channel is empty. A
/// slow receiver blocks the socket write, the channel fills, and the producer blocks.
/// </summary>
internal sealed class OutgoingChannel
{
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(60);
    private readonly ChannelAddress _address;
    private readonly string _host;
    private readonly int _port;
    private readonly ChannelCodec _codec;
    private readonly SubtaskSignal _signal = new();
    private readonly CancellationToken _cancellation;
    private readonly Action<Exception> _onFailure;

    public OutgoingChannel(ChannelAddress address, string host, int port, ChannelCodec codec, int capacity, ChannelStatistics statistics,
        CancellationToken cancellation, Action<Exception> onFailure)
    {
        _address = address;
        _host = host;
        _port = port;
        _codec = codec;
        _cancellation = cancellation;
        _onFailure = onFailure;
        Channel = new BatchChannel(capacity, _signal, statistics);
    }

    public BatchChannel Channel { get; }

    public void Start() => new Thread(Run) { IsBackground = true, Name = $"rivulet data sender {_address}" }.Start();

    private void Run()
    {
        try
        {
            using var client = Connect();
            using var writer = new BinaryWriter(new BufferedStream(client.GetStream(), 64 * 1024));
            DataConnection.WriteHeader(writer, _address);
            // Each item is encoded into memory first and sent as one length-prefixed frame: the
            // codec's many small writes then hit a MemoryStream, not the socket's buffered stream.
            using var frame = new MemoryStream(64 * 1024);
            using var frameWriter = new BinaryWriter(frame);
            while (!_cancellation.IsCancellationRequested)
            {
                _signal.Reset();
                var wrote = false;
                while (Channel.TryTake(out var item))
                {
                    frame.SetLength(0);
                    _codec.Write(item, frameWriter);
                    frameWriter.Flush();
                    writer.Write((int)frame.Length);
                    writer.Write(frame.GetBuffer(), 0, (int)frame.Length);
                    wrote = true;
                    if (item is EndOfInputEvent)
                    {
                        writer.Flush();
                        return;
                    }
                }

                if (wrote)
                {
                    writer.Flush();
                }
                else
                {
                    _signal.Wait(TimeSpan.FromMilliseconds(50), _cancellation);
                }
            }
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or TimeoutException)
        {
            if (!_cancellation.IsCancellationRequested)
            {
                _onFailure(new IOException($"Sending {_address} to {_host}:{_port} failed: {e.Message}", e));
            }
        }
        catch (Exception e)
        {
            // Anything else (a record its serializer cannot write) fails the attempt; it must not end the process.
            _onFailure(new InvalidOperationException($"Sending {_address} to {_host}:{_port} failed: {e.Message}", e));
        }
    }

    /// <summary>Connects, retrying while the consumer's TaskManager is still starting its data server.</summary>
    private TcpClient Connect()
    {
        var deadline = DateTime.UtcNow + ConnectTimeout;
        while (true)
        {
            var client = new TcpClient { NoDelay = true, SendBufferSize = DataServer.SocketBufferBytes };
            try
            {
                client.Connect(_host, _port);
                return client;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline && !_cancellation.IsCancellationRequested)
            {
                client.Dispose();
                _cancellation.WaitHandle.WaitOne(TimeSpan.FromMilliseconds(200));
            }
            catch
            {
                client.Dispose();
                throw;
            }
        }
    }
}
