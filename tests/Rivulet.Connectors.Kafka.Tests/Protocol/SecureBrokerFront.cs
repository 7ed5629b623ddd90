using System.Buffers.Binary;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Rivulet.Connectors.Kafka.Protocol;

namespace Rivulet.Connectors.Kafka.Tests.Protocol;

/// <summary>
/// What the test broker lacks: a TLS and/or SASL listener. Clients connect here; the front ends
/// TLS, authenticates them the Kafka way (SaslHandshake v1, SaslAuthenticate v0; PLAIN or
/// SCRAM-SHA-256/512 as RFC 5802 servers do), then relays requests one by one to a one-broker
/// test cluster. Like a real listener it advertises itself: as the coordinator in FindCoordinator
/// answers and as the broker in Metadata answers (librdkafka drops its bootstrap connection once
/// metadata names the cluster's brokers, and must come back here, not to the plaintext broker).
/// </summary>
internal sealed class SecureBrokerFront : IAsyncDisposable
{
    private const short Metadata = 3;
    private const short FindCoordinator = 10;
    private const short ApiVersions = 18;

    /// <summary>The newest Metadata version whose answer this front rewrites (v9 on are flexible versions).</summary>
    private const short NewestRewrittenMetadata = 8;
    private const short SaslHandshake = 17;
    private const short SaslAuthenticate = 36;
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly (string Host, int Port) _upstream;
    private readonly X509Certificate2? _certificate;
    private readonly (string Mechanism, string User, string Password)? _sasl;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;

    private readonly SslServerAuthenticationOptions? _tlsOptions;

    /// <summary>A front with TLS set up by <paramref name="tlsOptions"/> (a certificate chain, client certificates required, …).</summary>
    public SecureBrokerFront(string upstreamBootstrap, SslServerAuthenticationOptions tlsOptions)
        : this(upstreamBootstrap, certificate: null, sasl: null)
    {
        _tlsOptions = tlsOptions;
    }

    public SecureBrokerFront(string upstreamBootstrap, X509Certificate2? certificate, (string Mechanism, string User, string Password)? sasl)
    {
        var colon = upstreamBootstrap.LastIndexOf(':');
        _upstream = (upstreamBootstrap[..colon], int.Parse(upstreamBootstrap[(colon + 1)..], System.Globalization.CultureInfo.InvariantCulture));
        _certificate = certificate;
        _sasl = sasl;
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public string BootstrapServers => $"127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}";

    private int _refusedLogins;

    /// <summary>Connections whose SASL authentication failed.</summary>
    public int RefusedLogins => Volatile.Read(ref _refusedLogins);

    /// <summary>A self-signed certificate for 127.0.0.1 and localhost, and its PEM file (a client's <c>ssl.ca.location</c>).</summary>
    public static (X509Certificate2 Certificate, string PemPath) SelfSignedCertificate()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=rivulet-test-broker", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        using var created = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddHours(1));
        // Exported and re-imported: an ephemeral key cannot serve TLS on every platform.
        var certificate = X509CertificateLoader.LoadPkcs12(created.Export(X509ContentType.Pkcs12), null);
        var pem = Path.Combine(Path.GetTempPath(), $"rivulet-ca-{Guid.NewGuid():N}.pem");
        File.WriteAllText(pem, certificate.ExportCertificatePem());
        return (certificate, pem);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            await _accepting;
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }

        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var client = await _listener.AcceptTcpClientAsync(_stop.Token);
            _ = Task.Run(() => ServeAsync(client));
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using (client)
        {
            try
            {
                Stream stream = client.GetStream();
                if (_tlsOptions is not null)
                {
                    var tls = new SslStream(stream);
                    await tls.AuthenticateAsServerAsync(_tlsOptions, _stop.Token);
                    stream = tls;
                }
                else if (_certificate is not null)
                {
                    var tls = new SslStream(stream);
                    await tls.AuthenticateAsServerAsync(_certificate);
                    stream = tls;
                }

                if (_sasl is { } sasl && !await AuthenticateAsync(stream, sasl))
                {
                    Interlocked.Increment(ref _refusedLogins);
                    return;
                }

                using var upstream = new TcpClient();
                await upstream.ConnectAsync(_upstream.Host, _upstream.Port, _stop.Token);
                var broker = upstream.GetStream();
                while (await ReadFrameAsync(stream) is { } request)
                {
                    await WriteFrameAsync(broker, request);
                    var response = await ReadFrameAsync(broker) ?? throw new EndOfStreamException("the test broker closed the connection");
                    await WriteFrameAsync(stream, Advertised(request, response));
                }
            }
            catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or System.Security.Authentication.AuthenticationException)
            {
                // The client went away or refused our certificate: that connection is over.
            }
        }
    }

    private async Task<bool> AuthenticateAsync(Stream stream, (string Mechanism, string User, string Password) sasl)
    {
        var handshake = await ReadFrameAsync(stream) ?? throw new EndOfStreamException();
        var asked = BodyReader(handshake).String();
        var supported = asked == sasl.Mechanism;
        await ReplyAsync(stream, handshake, new KafkaWireWriter().Int16(supported ? (short)0 : (short)33).Int32(1).String(sasl.Mechanism));
        if (!supported)
        {
            return false;
        }

        var first = await ReadFrameAsync(stream) ?? throw new EndOfStreamException();
        var clientMessage = Encoding.UTF8.GetString(BodyReader(first).NullableBytes() ?? []);
        if (sasl.Mechanism == "PLAIN")
        {
            var ok = clientMessage == $"\0{sasl.User}\0{sasl.Password}";
            await ReplyAsync(stream, first, Authenticated(ok, []));
            return ok;
        }

        var scram = new ScramServer(sasl.Mechanism, sasl.User, sasl.Password);
        var serverFirst = scram.ServerFirstMessage(clientMessage);
        await ReplyAsync(stream, first, Authenticated(serverFirst is not null, Encoding.UTF8.GetBytes(serverFirst ?? string.Empty)));
        if (serverFirst is null)
        {
            return false;
        }

        var final = await ReadFrameAsync(stream) ?? throw new EndOfStreamException();
        var serverFinal = scram.ServerFinalMessage(Encoding.UTF8.GetString(BodyReader(final).NullableBytes() ?? []));
        await ReplyAsync(stream, final, Authenticated(serverFinal is not null, Encoding.UTF8.GetBytes(serverFinal ?? string.Empty)));
        return serverFinal is not null;
    }

    private static KafkaWireWriter Authenticated(bool ok, byte[] bytes) =>
        ok
            ? new KafkaWireWriter().Int16(0).String(null).Bytes(bytes)
            : new KafkaWireWriter().Int16(58).String("Authentication failed: invalid credentials").Bytes([]);

    /// <summary>The broker's answer as the client must see it: every broker address in it is this front's.</summary>
    private byte[] Advertised(byte[] request, byte[] response)
    {
        var version = BinaryPrimitives.ReadInt16BigEndian(request.AsSpan(2));
        return ApiKey(request) switch
        {
            FindCoordinator => NamingThisFront(response),
            ApiVersions when version <= 2 => CappingMetadataVersion(response),
            Metadata when version <= NewestRewrittenMetadata => MetadataNamingThisFront(response, version),
            _ => response,
        };
    }

    /// <summary>A non-flexible ApiVersions answer whose Metadata range stops at a version this front can rewrite.</summary>
    private static byte[] CappingMetadataVersion(byte[] response)
    {
        var reader = new KafkaWireReader(response);
        reader.Int32();
        if (reader.Int16() != 0)
        {
            return response;
        }

        var count = reader.Int32();
        for (var i = 0; i < count; i++)
        {
            var key = reader.Int16();
            reader.Int16();
            var maxAt = reader.Position;
            var max = reader.Int16();
            if (key == Metadata && max > NewestRewrittenMetadata)
            {
                BinaryPrimitives.WriteInt16BigEndian(response.AsSpan(maxAt), NewestRewrittenMetadata);
            }
        }

        return response;
    }

    /// <summary>A Metadata answer (v0–v8) whose brokers are all this front; topics and the rest unchanged.</summary>
    private byte[] MetadataNamingThisFront(byte[] response, short version)
    {
        var reader = new KafkaWireReader(response);
        var writer = new KafkaWireWriter().Int32(reader.Int32());
        if (version >= 3)
        {
            writer.Int32(reader.Int32());
        }

        var brokers = reader.Int32();
        writer.Int32(brokers);
        var port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        for (var i = 0; i < brokers; i++)
        {
            writer.Int32(reader.Int32());
            reader.String();
            reader.Int32();
            writer.String("127.0.0.1").Int32(port);
            if (version >= 1)
            {
                writer.String(reader.NullableString());
            }
        }

        return [.. writer.ToArray(), .. response.AsSpan(reader.Position)];
    }

    /// <summary>The FindCoordinator v1 answer with this front as the coordinator (the client must come back here).</summary>
    private byte[] NamingThisFront(byte[] response)
    {
        var reader = new KafkaWireReader(response);
        var correlationId = reader.Int32();
        var throttle = reader.Int32();
        var error = reader.Int16();
        var message = reader.NullableString();
        var node = reader.Int32();
        var port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        return new KafkaWireWriter().Int32(correlationId).Int32(throttle).Int16(error).String(message).Int32(node).String("127.0.0.1").Int32(port).ToArray();
    }

    private static short ApiKey(byte[] request) => BinaryPrimitives.ReadInt16BigEndian(request);

    /// <summary>A request's body, after its v1 header (api key, version, correlation id, client id).</summary>
    private static KafkaWireReader BodyReader(byte[] request)
    {
        var reader = new KafkaWireReader(request);
        reader.Int16();
        reader.Int16();
        reader.Int32();
        reader.NullableString();
        return reader;
    }

    private static Task ReplyAsync(Stream stream, byte[] request, KafkaWireWriter body)
    {
        var correlationId = BinaryPrimitives.ReadInt32BigEndian(request.AsSpan(4));
        return WriteFrameAsync(stream, [.. new KafkaWireWriter().Int32(correlationId).ToArray(), .. body.ToArray()]);
    }

    private static async Task<byte[]?> ReadFrameAsync(Stream stream)
    {
        var size = new byte[4];
        var read = 0;
        while (read < 4)
        {
            var n = await stream.ReadAsync(size.AsMemory(read));
            if (n == 0)
            {
                return null;
            }

            read += n;
        }

        var frame = new byte[BinaryPrimitives.ReadInt32BigEndian(size)];
        await stream.ReadExactlyAsync(frame);
        return frame;
    }

    private static async Task WriteFrameAsync(Stream stream, byte[] frame)
    {
        var size = new byte[4];
        BinaryPrimitives.WriteInt32BigEndian(size, frame.Length);
        await stream.WriteAsync(size);
        await stream.WriteAsync(frame);
        await stream.FlushAsync();
    }

    /// <summary>The server side of SCRAM (RFC 5802): checks the client's proof, proves it knows the password too.</summary>
    private sealed class ScramServer(string mechanism, string user, string password)
    {
        private readonly HashAlgorithmName _hash = mechanism == "SCRAM-SHA-512" ? HashAlgorithmName.SHA512 : HashAlgorithmName.SHA256;
        private readonly byte[] _salt = RandomNumberGenerator.GetBytes(16);
        private string _clientFirstBare = string.Empty;
        private string _serverFirst = string.Empty;
        private string _nonce = string.Empty;

        public string? ServerFirstMessage(string clientFirst)
        {
            _clientFirstBare = clientFirst.StartsWith("n,,", StringComparison.Ordinal) ? clientFirst[3..] : clientFirst;
            var fields = Fields(_clientFirstBare);
            if (fields.GetValueOrDefault("n") != user)
            {
                return null;
            }

            _nonce = fields["r"] + Convert.ToBase64String(RandomNumberGenerator.GetBytes(12));
            _serverFirst = $"r={_nonce},s={Convert.ToBase64String(_salt)},i=4096";
            return _serverFirst;
        }

        public string? ServerFinalMessage(string clientFinal)
        {
            var fields = Fields(clientFinal);
            var withoutProof = clientFinal[..clientFinal.LastIndexOf(",p=", StringComparison.Ordinal)];
            if (fields.GetValueOrDefault("r") != _nonce)
            {
                return null;
            }

            var length = _hash == HashAlgorithmName.SHA512 ? 64 : 32;
            var salted = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), _salt, 4096, _hash, length);
            var authMessage = Encoding.UTF8.GetBytes($"{_clientFirstBare},{_serverFirst},{withoutProof}");
            var clientKey = Hmac(salted, "Client Key"u8.ToArray());
            var storedKey = _hash == HashAlgorithmName.SHA512 ? SHA512.HashData(clientKey) : SHA256.HashData(clientKey);
            var signature = Hmac(storedKey, authMessage);
            var proof = Convert.FromBase64String(fields["p"]);
            var recoveredKey = proof.Zip(signature, (p, s) => (byte)(p ^ s)).ToArray();
            var recoveredStoredKey = _hash == HashAlgorithmName.SHA512 ? SHA512.HashData(recoveredKey) : SHA256.HashData(recoveredKey);
            return CryptographicOperations.FixedTimeEquals(recoveredStoredKey, storedKey)
                ? $"v={Convert.ToBase64String(Hmac(Hmac(salted, "Server Key"u8.ToArray()), authMessage))}"
                : null;
        }

        private byte[] Hmac(byte[] key, byte[] data) => _hash == HashAlgorithmName.SHA512 ? HMACSHA512.HashData(key, data) : HMACSHA256.HashData(key, data);

        private static Dictionary<string, string> Fields(string message) =>
            message.Split(',').Where(p => p.Length > 1 && p[1] == '=').ToDictionary(p => p[..1], p => p[2..]);
    }
}
