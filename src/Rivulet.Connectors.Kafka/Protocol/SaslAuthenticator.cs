using System.Security.Cryptography;
using System.Text;

namespace Rivulet.Connectors.Kafka.Protocol;

/// <summary>SASL over Kafka's SaslHandshake v1 + SaslAuthenticate v0: PLAIN and SCRAM-SHA-256/512 (RFC 5802/7677).</summary>
internal static class SaslAuthenticator
{
    private const short SaslHandshake = 17;
    private const short SaslAuthenticate = 36;

    public static void Authenticate(KafkaConnection connection, KafkaSecurityOptions security)
    {
        var mechanism = security.SaslMechanism!;
        var username = security.Username ?? throw new ArgumentException($"sasl.mechanism={mechanism} needs sasl.username.");
        var password = security.Password ?? throw new ArgumentException($"sasl.mechanism={mechanism} needs sasl.password.");
        var handshake = connection.Send(SaslHandshake, 1, new KafkaWireWriter().String(mechanism).ToArray());
        var error = handshake.Int16();
        if (error != 0)
        {
            throw new AuthenticationFailedException($"{connection.Endpoint} does not accept SASL mechanism {mechanism} (error {error}).");
        }

        if (mechanism == "PLAIN")
        {
            Exchange(connection, Encoding.UTF8.GetBytes($"\0{username}\0{password}"));
            return;
        }

        var scram = new ScramClient(mechanism, username, password);
        var serverFirst = Exchange(connection, scram.ClientFirstMessage());
        var serverFinal = Exchange(connection, scram.ClientFinalMessage(serverFirst));
        scram.VerifyServerFinal(serverFinal);
    }

    private static byte[] Exchange(KafkaConnection connection, byte[] message)
    {
        var response = connection.Send(SaslAuthenticate, 0, new KafkaWireWriter().Bytes(message).ToArray());
        var error = response.Int16();
        var errorMessage = response.NullableString();
        var bytes = response.NullableBytes() ?? [];
        if (error != 0)
        {
            throw new AuthenticationFailedException($"SASL authentication with {connection.Endpoint} failed: {errorMessage ?? $"error {error}"}.");
        }

        return bytes;
    }
}

/// <summary>The client side of SCRAM (RFC 5802), for SHA-256 and SHA-512 (RFC 7677).</summary>
internal sealed class ScramClient(string mechanism, string username, string password, string? nonce = null)
{
    private readonly HashAlgorithmName _hash = mechanism == "SCRAM-SHA-512" ? HashAlgorithmName.SHA512 : HashAlgorithmName.SHA256;
    private readonly string _clientNonce = nonce ?? Convert.ToBase64String(RandomNumberGenerator.GetBytes(24));
    private string _clientFirstBare = string.Empty;
    private byte[] _serverSignature = [];

    public byte[] ClientFirstMessage()
    {
        _clientFirstBare = $"n={Escape(username)},r={_clientNonce}";
        return Encoding.UTF8.GetBytes("n,," + _clientFirstBare);
    }

    public byte[] ClientFinalMessage(byte[] serverFirst)
    {
        var serverFirstText = Encoding.UTF8.GetString(serverFirst);
        var fields = Parse(serverFirstText);
        var serverNonce = fields["r"];
        if (!serverNonce.StartsWith(_clientNonce, StringComparison.Ordinal))
        {
            throw new AuthenticationFailedException("SCRAM: the server nonce does not extend the client nonce.");
        }

        var salt = Convert.FromBase64String(fields["s"]);
        var iterations = int.Parse(fields["i"], System.Globalization.CultureInfo.InvariantCulture);
        var saltedPassword = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, iterations, _hash, HashLength);
        var clientKey = Hmac(saltedPassword, "Client Key");
        var storedKey = HashOf(clientKey);
        var withoutProof = $"c=biws,r={serverNonce}";
        var authMessage = $"{_clientFirstBare},{serverFirstText},{withoutProof}";
        var clientSignature = Hmac(storedKey, authMessage);
        var proof = new byte[clientKey.Length];
        for (var i = 0; i < proof.Length; i++)
        {
            proof[i] = (byte)(clientKey[i] ^ clientSignature[i]);
        }

        var serverKey = Hmac(saltedPassword, "Server Key");
        _serverSignature = Hmac(serverKey, authMessage);
        return Encoding.UTF8.GetBytes($"{withoutProof},p={Convert.ToBase64String(proof)}");
    }

    public void VerifyServerFinal(byte[] serverFinal)
    {
        var fields = Parse(Encoding.UTF8.GetString(serverFinal));
        if (fields.TryGetValue("e", out var error))
        {
            throw new AuthenticationFailedException($"SCRAM: the server refused the proof: {error}.");
        }

        if (!fields.TryGetValue("v", out var verifier) || !CryptographicOperations.FixedTimeEquals(Convert.FromBase64String(verifier), _serverSignature))
        {
            throw new AuthenticationFailedException("SCRAM: the server's signature does not match; it does not know the password.");
        }
    }

    private int HashLength => _hash == HashAlgorithmName.SHA512 ? 64 : 32;

    private byte[] Hmac(byte[] key, string text) =>
        _hash == HashAlgorithmName.SHA512 ? HMACSHA512.HashData(key, Encoding.UTF8.GetBytes(text)) : HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(text));

    private byte[] HashOf(byte[] data) => _hash == HashAlgorithmName.SHA512 ? SHA512.HashData(data) : SHA256.HashData(data);

    private static Dictionary<string, string> Parse(string message) =>
        message.Split(',').Where(p => p.Length > 1 && p[1] == '=').ToDictionary(p => p[..1], p => p[2..]);

    private static string Escape(string name) => name.Replace("=", "=3D", StringComparison.Ordinal).Replace(",", "=2C", StringComparison.Ordinal);
}

/// <summary>SASL authentication with a broker failed.</summary>
public sealed class AuthenticationFailedException(string message) : Exception(message);
