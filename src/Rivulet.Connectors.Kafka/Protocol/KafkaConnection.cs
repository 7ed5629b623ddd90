using System.Buffers.Binary;
using System.Net.Security;
using System.Net.Sockets;

namespace Rivulet.Connectors.Kafka.Protocol;

/// <summary>
/// One TCP (optionally TLS, optionally SASL-authenticated) connection to a broker, sending
/// request/response pairs one at a time with request header v1 and response header v0.
/// </summary>
/// <remarks>
/// All I/O is synchronous on the calling thread. Transaction recovery runs while a sink opens,
/// often on a thread-pool thread of a busy process; asynchronous I/O would need a second pool
/// thread to finish each read, and a starved pool then stalls recovery for as long as it stays
/// starved. Cancellation closes the socket, which ends any blocked call with an exception.
/// </remarks>
internal sealed class KafkaConnection : IDisposable
{
    private const string ClientId = "rivulet-txn-recovery";
    private readonly Socket _socket;
    private readonly Stream _stream;
    private readonly CancellationTokenRegistration _cancellation;
    private int _correlationId;

    private KafkaConnection(Socket socket, Stream stream, CancellationTokenRegistration cancellation, string endpoint)
    {
        _socket = socket;
        _stream = stream;
        _cancellation = cancellation;
        Endpoint = endpoint;
    }

    public string Endpoint { get; }

    /// <summary>Connects, then runs TLS and SASL when configured; <paramref name="cancellationToken"/> stays bound to the connection until it is disposed.</summary>
    public static KafkaConnection Open(string host, int port, KafkaSecurityOptions security, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        var cancellation = cancellationToken.Register(static s => ((Socket)s!).Dispose(), socket);
        try
        {
            socket.Connect(host, port);
            Stream stream = new NetworkStream(socket, ownsSocket: false);
            if (security.UseTls)
            {
                var tls = new SslStream(stream, leaveInnerStreamOpen: false);
                tls.AuthenticateAsClient(security.TlsOptions(host));
                stream = tls;
            }

            var connection = new KafkaConnection(socket, stream, cancellation, $"{host}:{port}");
            if (security.SaslMechanism is not null)
            {
                try
                {
                    SaslAuthenticator.Authenticate(connection, security);
                }
                catch
                {
                    connection.Dispose();
                    throw;
                }
            }

            return connection;
        }
        catch (Exception e) when (cancellationToken.IsCancellationRequested && e is not OperationCanceledException)
        {
            cancellation.Dispose();
            socket.Dispose();
            throw new OperationCanceledException(cancellationToken);
        }
        catch
        {
            cancellation.Dispose();
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Sends one request and returns the response body (after the correlation id).</summary>
    public KafkaWireReader Send(short apiKey, short apiVersion, byte[] body)
    {
        var correlationId = ++_correlationId;
        var header = new KafkaWireWriter().Int16(apiKey).Int16(apiVersion).Int32(correlationId).String(ClientId).ToArray();
        var frame = new byte[4 + header.Length + body.Length];
        BinaryPrimitives.WriteInt32BigEndian(frame, header.Length + body.Length);
        header.CopyTo(frame, 4);
        body.CopyTo(frame, 4 + header.Length);
        _stream.Write(frame);
        _stream.Flush();

        var sizeBytes = new byte[4];
        _stream.ReadExactly(sizeBytes);
        var size = BinaryPrimitives.ReadInt32BigEndian(sizeBytes);
        if (size is < 4 or > 64 * 1024 * 1024)
        {
            throw new InvalidDataException($"{Endpoint}: implausible Kafka response size {size}.");
        }

        var response = new byte[size];
        _stream.ReadExactly(response);
        var reader = new KafkaWireReader(response);
        var echoed = reader.Int32();
        if (echoed != correlationId)
        {
            throw new InvalidDataException($"{Endpoint}: response correlation id {echoed} does not match request {correlationId}.");
        }

        return reader;
    }

    public void Dispose()
    {
        _cancellation.Dispose();
        _stream.Dispose();
        _socket.Dispose();
    }
}
