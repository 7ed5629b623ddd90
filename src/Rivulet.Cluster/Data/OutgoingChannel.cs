using System.Buffers.Binary;
using System.Net.Sockets;
using Rivulet.Core.Runtime.IO;

namespace Rivulet.Cluster.Data;

/// <summary>
/// The sending end of a channel to a subtask on another TaskManager. The producer's own thread
/// encodes each item into a length-prefixed frame and writes the frames to the channel's TCP
/// connection (opened at the first item): no queue and no thread of its own between producer and
/// socket, so the socket's buffer is the channel's buffer. Record batches are gathered into writes
/// of up to <see cref="SendBytes"/> (fewer system calls, fewer wake-ups of the receiver) and sent
/// at the latest when the producer flushes; events are sent at once. A slow receiver stops
/// reading, the socket fills, and the write blocks the producer: backpressure across the network.
/// </summary>
internal sealed class OutgoingChannel(ChannelAddress address, string host, int port, ChannelCodec codec, CancellationToken cancellation) : IOutputChannel
{
    /// <summary>Gathered frames are written once they reach this size.</summary>
    private const int SendBytes = 64 * 1024;

    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(60);

    private readonly MemoryStream _pending = new(2 * SendBytes);
    private readonly object _gate = new();
    private BinaryWriter? _writer;
    private TcpClient? _client;
    private NetworkStream? _socket;
    private bool _closed;

    /// <exception cref="IOException">The connection could not be opened or broke (the attempt fails).</exception>
    public bool Put(object item, CancellationToken cancellationToken)
    {
        try
        {
            var socket = _socket ?? Connect();
            if (socket is null)
            {
                return false;
            }

            // Encoded into memory: the codec's many small writes hit a buffer, not the socket.
            var start = (int)_pending.Length;
            var writer = _writer ??= new BinaryWriter(_pending);
            writer.Write(0); // the frame's length, filled in below
            codec.Write(item, writer);
            writer.Flush();
            BinaryPrimitives.WriteInt32LittleEndian(_pending.GetBuffer().AsSpan(start, sizeof(int)), (int)_pending.Length - start - sizeof(int));
            if (item is not IRecordBatch || _pending.Length >= SendBytes)
            {
                Send(socket);
            }

            if (item is EndOfInputEvent)
            {
                // Nothing follows; the receiver ends its side at this item.
                Close();
            }

            return true;
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException)
        {
            if (IsEnding(cancellationToken))
            {
                return false;
            }

            throw Broken(e);
        }
    }

    /// <exception cref="IOException">The connection broke (the attempt fails).</exception>
    public void Flush()
    {
        if (_socket is not { } socket || _pending.Length == 0)
        {
            return;
        }

        try
        {
            Send(socket);
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException)
        {
            if (!IsEnding(CancellationToken.None))
            {
                throw Broken(e);
            }
        }
    }

    public void Close()
    {
        lock (_gate)
        {
            _closed = true;
            // Unblocks a producer blocked in a write to a receiver that stopped reading.
            _client?.Dispose();
        }
    }

    private IOException Broken(Exception e) => new($"Sending {address} to {host}:{port} failed: {e.Message}", e);

    private void Send(NetworkStream socket)
    {
        socket.Write(_pending.GetBuffer(), 0, (int)_pending.Length);
        _pending.SetLength(0);
    }

    private bool IsEnding(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return _closed || cancellationToken.IsCancellationRequested || cancellation.IsCancellationRequested;
        }
    }

    /// <summary>Connects, retrying while the consumer's TaskManager is still starting its data server; null when the attempt ended first.</summary>
    private NetworkStream? Connect()
    {
        var deadline = DateTime.UtcNow + ConnectTimeout;
        while (true)
        {
            var client = new TcpClient { NoDelay = true, SendBufferSize = DataServer.SocketBufferBytes };
            try
            {
                client.Connect(host, port);
                var socket = client.GetStream();
                using (var header = new BinaryWriter(socket, System.Text.Encoding.UTF8, leaveOpen: true))
                {
                    DataConnection.WriteHeader(header, address);
                }

                lock (_gate)
                {
                    if (_closed)
                    {
                        client.Dispose();
                        return null;
                    }

                    _client = client;
                    return _socket = socket;
                }
            }
            catch (SocketException) when (DateTime.UtcNow < deadline && !cancellation.IsCancellationRequested)
            {
                client.Dispose();
                cancellation.WaitHandle.WaitOne(TimeSpan.FromMilliseconds(200));
            }
            catch
            {
                client.Dispose();
                throw;
            }
        }
    }
}
