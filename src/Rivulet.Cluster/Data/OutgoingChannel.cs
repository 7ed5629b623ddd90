using System.Buffers.Binary;
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
    /// <summary>Frames are sent once this many bytes are pending (or the channel is empty).</summary>
    private const int SendBytes = 64 * 1024;

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
            var socket = client.GetStream();
            using (var header = new BinaryWriter(socket, System.Text.Encoding.UTF8, leaveOpen: true))
            {
                DataConnection.WriteHeader(header, _address);
            }

            // Items are encoded straight into one buffer as length-prefixed frames, and the buffer
            // goes to the socket in one write when it is full or the channel is empty: the codec's
            // many small writes hit memory, and each byte is copied once on its way to the socket.
            using var pending = new MemoryStream(2 * SendBytes);
            using var writer = new BinaryWriter(pending);
            while (!_cancellation.IsCancellationRequested)
            {
                _signal.Reset();
                while (Channel.TryTake(out var item))
                {
                    var start = (int)pending.Length;
                    writer.Write(0); // the frame's length, filled in below
                    _codec.Write(item, writer);
                    writer.Flush();
                    BinaryPrimitives.WriteInt32LittleEndian(pending.GetBuffer().AsSpan(start, sizeof(int)), (int)pending.Length - start - sizeof(int));
                    if (item is EndOfInputEvent)
                    {
                        Send(socket, pending);
                        return;
                    }

                    if (pending.Length >= SendBytes)
                    {
                        Send(socket, pending);
                    }
                }

                if (pending.Length > 0)
                {
                    Send(socket, pending);
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

    private static void Send(NetworkStream socket, MemoryStream pending)
    {
        socket.Write(pending.GetBuffer(), 0, (int)pending.Length);
        pending.SetLength(0);
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
