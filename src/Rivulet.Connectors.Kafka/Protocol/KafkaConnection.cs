using System.Buffers.Binary;
using System.Net.Security;
using System.Net.Sockets;

namespace Rivulet.Connectors.Kafka.Protocol;

/// <summary>
/// One TCP (optionally TLS, optionally SASL-authenticated) connection to a broker, sending
/// request/response pairs one at a time with request header v1 and response header v0.
/// </summary>
internal sealed class KafkaConnection : IAsyncDisposable
{
    private const string ClientId = "rivulet-txn-recovery";
    private readonly TcpClient _tcp;
    private readonly Stream _stream;
    private int _correlationId;

    private KafkaConnection(TcpClient tcp, Stream stream)
    {
        _tcp = tcp;
        _stream = stream;
    }

    public string Endpoint { get; private init; } = string.Empty;

    public static async Task<KafkaConnection> OpenAsync(string host, int port, KafkaSecurityOptions security, CancellationToken cancellationToken)
    {
        var tcp = new TcpClient { NoDelay = true };
        try
        {
            await tcp.ConnectAsync(host, port, cancellationToken).ConfigureAwait(false);
            Stream stream = tcp.GetStream();
            if (security.UseTls)
            {
                var tls = new SslStream(stream, leaveInnerStreamOpen: false);
                await tls.AuthenticateAsClientAsync(security.TlsOptions(host), cancellationToken).ConfigureAwait(false);
                stream = tls;
            }

            var connection = new KafkaConnection(tcp, stream) { Endpoint = $"{host}:{port}" };
            if (security.SaslMechanism is not null)
            {
                await SaslAuthenticator.AuthenticateAsync(connection, security, cancellationToken).ConfigureAwait(false);
            }

            return connection;
        }
        catch
        {
            tcp.Dispose();
            throw;
        }
    }

    /// <summary>Sends one request and returns the response body (after the correlation id).</summary>
    public async Task<KafkaWireReader> SendAsync(short apiKey, short apiVersion, byte[] body, CancellationToken cancellationToken)
    {
        var correlationId = ++_correlationId;
        var header = new KafkaWireWriter().Int16(apiKey).Int16(apiVersion).Int32(correlationId).String(ClientId).ToArray();
        var frame = new byte[4 + header.Length + body.Length];
        BinaryPrimitives.WriteInt32BigEndian(frame, header.Length + body.Length);
        header.CopyTo(frame, 4);
        body.CopyTo(frame, 4 + header.Length);
        await _stream.WriteAsync(frame, cancellationToken).ConfigureAwait(false);
        await _stream.FlushAsync(cancellationToken).ConfigureAwait(false);

        var sizeBytes = new byte[4];
        await _stream.ReadExactlyAsync(sizeBytes, cancellationToken).ConfigureAwait(false);
        var size = BinaryPrimitives.ReadInt32BigEndian(sizeBytes);
        if (size is < 4 or > 64 * 1024 * 1024)
        {
            throw new InvalidDataException($"{Endpoint}: implausible Kafka response size {size}.");
        }

        var response = new byte[size];
        await _stream.ReadExactlyAsync(response, cancellationToken).ConfigureAwait(false);
        var reader = new KafkaWireReader(response);
        var echoed = reader.Int32();
        if (echoed != correlationId)
        {
            throw new InvalidDataException($"{Endpoint}: response correlation id {echoed} does not match request {correlationId}.");
        }

        return reader;
    }

    public async ValueTask DisposeAsync()
    {
        await _stream.DisposeAsync().ConfigureAwait(false);
        _tcp.Dispose();
    }
}
