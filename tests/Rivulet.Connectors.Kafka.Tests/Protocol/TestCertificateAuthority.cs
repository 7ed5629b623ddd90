using System.Net;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Rivulet.Connectors.Kafka.Tests.Protocol;

/// <summary>
/// A throwaway PKI as companies run it: a root CA, an intermediate CA that signs the broker's
/// certificate (the broker sends it along), and a client certificate signed by the root, whose key
/// is written encrypted, unencrypted, inline and as a PKCS#12 keystore — every form librdkafka reads.
/// </summary>
internal sealed class TestCertificateAuthority : IDisposable
{
    public const string KeyPassword = "k3y-pa55";
    private readonly string _directory = Directory.CreateTempSubdirectory("rivulet-pki-").FullName;
    private readonly X509Certificate2 _root;
    private readonly X509Certificate2 _intermediate;
    private readonly X509Certificate2 _server;
    private readonly X509Certificate2 _client;

    public TestCertificateAuthority()
    {
        _root = CreateAuthority("CN=rivulet-test-root", issuer: null);
        _intermediate = CreateAuthority("CN=rivulet-test-intermediate", _root);
        _server = CreateLeaf("CN=rivulet-test-broker", _intermediate, serverAuth: true);
        _client = CreateLeaf("CN=rivulet-test-client", _root, serverAuth: false);
        RootPemPath = Write("root.pem", _root.ExportCertificatePem());
        ClientCertificatePem = _client.ExportCertificatePem();
        using var clientKey = _client.GetECDsaPrivateKey()!;
        ClientKeyPem = clientKey.ExportPkcs8PrivateKeyPem();
        ClientEncryptedKeyPem = clientKey.ExportEncryptedPkcs8PrivateKeyPem(KeyPassword,
            new PbeParameters(PbeEncryptionAlgorithm.Aes256Cbc, HashAlgorithmName.SHA256, 100_000));
        ClientCertificatePath = Write("client.pem", ClientCertificatePem);
        ClientEncryptedKeyPath = Write("client-key-encrypted.pem", ClientEncryptedKeyPem);
        ClientKeystorePath = Path.Combine(_directory, "client.p12");
        File.WriteAllBytes(ClientKeystorePath, _client.Export(X509ContentType.Pkcs12, KeyPassword));
    }

    /// <summary>The root CA alone: what a client's <c>ssl.ca.location</c> names.</summary>
    public string RootPemPath { get; }

    public string RootPem => File.ReadAllText(RootPemPath);

    public string ClientCertificatePath { get; }

    public string ClientEncryptedKeyPath { get; }

    public string ClientKeystorePath { get; }

    public string ClientCertificatePem { get; }

    public string ClientKeyPem { get; }

    public string ClientEncryptedKeyPem { get; }

    /// <summary>Client certificates the broker received and accepted.</summary>
    public int AcceptedClients => Volatile.Read(ref _acceptedClients);

    private int _acceptedClients;

    /// <summary>A broker listener: its certificate signed by the intermediate, sent with it; a client certificate signed by the root required.</summary>
    public SslServerAuthenticationOptions BrokerTls() => new()
    {
        ServerCertificateContext = SslStreamCertificateContext.Create(_server, [_intermediate], offline: true),
        ClientCertificateRequired = true,
        RemoteCertificateValidationCallback = (_, certificate, _, _) =>
        {
            if (certificate is null)
            {
                return false;
            }

            using var chain = new X509Chain();
            chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            chain.ChainPolicy.CustomTrustStore.Add(_root);
            chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            var valid = chain.Build(X509CertificateLoader.LoadCertificate(certificate.GetRawCertData()));
            if (valid)
            {
                Interlocked.Increment(ref _acceptedClients);
            }

            return valid;
        },
    };

    public void Dispose()
    {
        _root.Dispose();
        _intermediate.Dispose();
        _server.Dispose();
        _client.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    private static X509Certificate2 CreateAuthority(string subject, X509Certificate2? issuer)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, issuer is not null, issuer is null ? 1 : 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        var notBefore = DateTimeOffset.UtcNow.AddMinutes(-5);
        var notAfter = DateTimeOffset.UtcNow.AddHours(2);
        if (issuer is null)
        {
            return Reloaded(request.CreateSelfSigned(notBefore, notAfter));
        }

        using var signed = request.Create(issuer, notBefore, notAfter.AddMinutes(-1), RandomSerial());
        return Reloaded(signed.CopyWithPrivateKey(key));
    }

    private static X509Certificate2 CreateLeaf(string subject, X509Certificate2 issuer, bool serverAuth)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
            [serverAuth ? new Oid("1.3.6.1.5.5.7.3.1") : new Oid("1.3.6.1.5.5.7.3.2")], false));
        if (serverAuth)
        {
            var names = new SubjectAlternativeNameBuilder();
            names.AddIpAddress(IPAddress.Loopback);
            names.AddDnsName("localhost");
            request.CertificateExtensions.Add(names.Build());
        }

        using var signed = request.Create(issuer, DateTimeOffset.UtcNow.AddMinutes(-4), DateTimeOffset.UtcNow.AddHours(1), RandomSerial());
        return Reloaded(signed.CopyWithPrivateKey(key));
    }

    // Exported and re-imported: an ephemeral key cannot serve TLS on every platform.
    private static X509Certificate2 Reloaded(X509Certificate2 certificate)
    {
        using (certificate)
        {
            return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), null);
        }
    }

    private static byte[] RandomSerial() => RandomNumberGenerator.GetBytes(12);

    private string Write(string name, string text)
    {
        var path = Path.Combine(_directory, name);
        File.WriteAllText(path, text);
        return path;
    }
}
