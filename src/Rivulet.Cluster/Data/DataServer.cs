using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Rivulet.Core.Runtime.IO;

namespace Rivulet.Cluster.Data;

/// <summary>
/// A TaskManager's data port: upstream subtasks on other processes connect here, one TCP
/// connection per channel, and their items are put into the local channel registered for that
/// address. A full channel blocks the connection's reader, so the sender's socket fills and the
/// remote producer blocks: backpressure across the network, with memory bounded by the channels
/// and the sockets' buffers. Data connections are separate from Akka's control connections, so
/// data volume cannot delay heartbeats.
/// </summary>
internal sealed class DataServer : IDisposable
{
    /// <summary>Small socket buffers keep what is in flight between two subtasks near the channels' own bound.</summary>
    internal const int SocketBufferBytes = 256 * 1024;

    /// <summary>The largest frame accepted (a batch of big records); anything larger is corruption.</summary>
    private const int MaxFrameBytes = 256 * 1024 * 1024;

    private static readonly TimeSpan RegistrationTimeout = TimeSpan.FromSeconds(60);
    private readonly TcpListener _listener;
    private readonly ConcurrentDictionary<ChannelAddress, TaskCompletionSource<IncomingRegistration>> _registrations = new();
    private readonly ILogger _logger;
    private readonly Thread _acceptor;
    private volatile bool _stopped;
    private long _recordsReceived;

    public DataServer(string host, int port, ILogger logger)
    {
        _logger = logger;
        _listener = new TcpListener(IPAddress.Parse(host), port);
        _listener.Start();
        Host = host;
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _acceptor = new Thread(AcceptLoop) { IsBackground = true, Name = $"rivulet data server :{Port}" };
        _acceptor.Start();
    }

    public string Host { get; }

    public int Port { get; }

    /// <summary>Records received from other TaskManagers since this server started.</summary>
    public long RecordsReceived => Interlocked.Read(ref _recordsReceived);

    /// <summary>Items arriving for <paramref name="address"/> go to <paramref name="registration"/>'s channel (also for a connection already waiting).</summary>
    public void Register(ChannelAddress address, IncomingRegistration registration) => Slot(address).TrySetResult(registration);

    /// <summary>Forgets the registrations of an attempt that ended.</summary>
    public void ForgetAttempt(int attempt)
    {
        foreach (var address in _registrations.Keys.Where(a => a.Attempt <= attempt))
        {
            if (_registrations.TryRemove(address, out var slot))
            {
                slot.TrySetCanceled();
            }
        }
    }

    public void Dispose()
    {
        _stopped = true;
        _listener.Stop();
        foreach (var slot in _registrations.Values)
        {
            slot.TrySetCanceled();
        }
    }

    /// <summary>The sender's address, for messages; a connection already closed again has none.</summary>
    private static string PeerOf(TcpClient client)
    {
        try
        {
            return client.Client.RemoteEndPoint?.ToString() ?? "?";
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            return "?";
        }
    }

    private TaskCompletionSource<IncomingRegistration> Slot(ChannelAddress address) =>
        _registrations.GetOrAdd(address, _ => new TaskCompletionSource<IncomingRegistration>(TaskCreationOptions.RunContinuationsAsynchronously));

    private void AcceptLoop()
    {
        while (!_stopped)
        {
            TcpClient client;
            try
            {
                client = _listener.AcceptTcpClient();
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException or InvalidOperationException)
            {
                if (!_stopped)
                {
                    _logger.LogWarning(e, "The data server on port {Port} stopped accepting connections", Port);
                }

                return;
            }

            new Thread(() => Serve(client)) { IsBackground = true, Name = $"rivulet data receiver :{Port}" }.Start();
        }
    }

    private void Serve(TcpClient client)
    {
        using var connection = client;
        ChannelAddress address = default;
        IncomingRegistration? registration = null;
        var peer = PeerOf(client);
        try
        {
            client.NoDelay = true;
            client.ReceiveBufferSize = SocketBufferBytes;
            client.ReceiveTimeout = (int)TimeSpan.FromSeconds(30).TotalMilliseconds; // for the header only
            using var reader = new BinaryReader(new BufferedStream(client.GetStream(), 64 * 1024));
            address = DataConnection.ReadHeader(reader);
            client.ReceiveTimeout = 0;
            var slot = Slot(address);
            if (!slot.Task.Wait(RegistrationTimeout))
            {
                _logger.LogWarning("A data connection for {Channel} waited {Timeout} s for its channel, which was never deployed here; closing it",
                    address, RegistrationTimeout.TotalSeconds);
                return;
            }

            registration = slot.Task.Result;
            var frame = new FrameBuffer(64 * 1024);
            while (true)
            {
                // One length-prefixed frame per item (see OutgoingChannel), decoded from memory.
                var length = reader.ReadInt32();
                if (length < 0 || length > MaxFrameBytes)
                {
                    throw new InvalidDataException($"A frame of {length} bytes: not a Rivulet data connection, or a corrupt one.");
                }

                var item = frame.Decode(reader.BaseStream, length, registration.Codec);
                if (item is IRecordBatch batch)
                {
                    Interlocked.Add(ref _recordsReceived, batch.Count);
                }

                if (!registration.Channel.Put(item, registration.Cancellation) || item is EndOfInputEvent)
                {
                    return;
                }
            }
        }
        catch (AggregateException e) when (e.InnerException is TaskCanceledException)
        {
            // The attempt ended before its channel was registered here.
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or InvalidDataException or EndOfStreamException)
        {
            if (registration is not null && !registration.Cancellation.IsCancellationRequested)
            {
                registration.OnFailure(new IOException($"The data connection of {address} from {peer} broke: {e.Message}", e));
            }
            else if (registration is null && !_stopped)
            {
                _logger.LogWarning(e, "A data connection to port {Port} failed before it was set up", Port);
            }
        }
        catch (Exception e)
        {
            // Anything else (a record the codec cannot read back) fails the attempt; it must not end the process.
            if (registration is not null)
            {
                registration.OnFailure(new InvalidOperationException($"Reading the data connection of {address} from {peer} failed: {e.Message}", e));
            }
            else
            {
                _logger.LogError(e, "A data connection to port {Port} failed", Port);
            }
        }
    }
}
