using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Rivulet.Connectors.Kafka.Protocol;

/// <summary>
/// The main client's security settings, read from the same Kafka properties with librdkafka's
/// meaning, so the recovery client reaches the brokers the same way: <c>security.protocol</c>,
/// <c>sasl.*</c> and <c>ssl.*</c> — CA from a file, a directory or inline PEM; the client
/// certificate from PEM files, inline PEM (its key encrypted with <c>ssl.key.password</c> or not)
/// or a PKCS#12 keystore. Secrets never appear in <see cref="ToString"/> or in any message.
/// </summary>
internal sealed class KafkaSecurityOptions
{
    private readonly X509Certificate2Collection? _trustAnchors;
    private readonly X509Certificate2Collection? _intermediates;
    private readonly X509Certificate2? _clientCertificate;

    private KafkaSecurityOptions(bool useTls, string? saslMechanism, string? username, string? password, X509Certificate2Collection? trustAnchors,
        X509Certificate2Collection? intermediates, X509Certificate2? clientCertificate, bool verifyCertificate, bool verifyHostname, string describe)
    {
        UseTls = useTls;
        SaslMechanism = saslMechanism;
        Username = username;
        Password = password;
        _trustAnchors = trustAnchors;
        _intermediates = intermediates;
        _clientCertificate = clientCertificate;
        VerifyCertificate = verifyCertificate;
        VerifyHostname = verifyHostname;
        Description = describe;
    }

    public bool UseTls { get; }

    public string? SaslMechanism { get; }

    public string? Username { get; }

    /// <summary>The SASL password; only the authenticator reads it.</summary>
    public string? Password { get; }

    public bool VerifyCertificate { get; }

    public bool VerifyHostname { get; }

    private string Description { get; }

    public static KafkaSecurityOptions From(IReadOnlyDictionary<string, string> properties)
    {
        string? Get(string key) => properties.TryGetValue(key, out var value) && !string.IsNullOrWhiteSpace(value) ? value : null;
        var protocol = (Get("security.protocol") ?? "plaintext").ToLowerInvariant();
        var (tls, sasl) = protocol switch
        {
            "plaintext" => (false, false),
            "ssl" => (true, false),
            "sasl_plaintext" => (false, true),
            "sasl_ssl" => (true, true),
            _ => throw new ArgumentException($"security.protocol '{Get("security.protocol")}' is not one of PLAINTEXT, SSL, SASL_PLAINTEXT, SASL_SSL."),
        };
        string? mechanism = null;
        if (sasl)
        {
            mechanism = (Get("sasl.mechanism") ?? Get("sasl.mechanisms") ?? "GSSAPI").ToUpperInvariant();
            if (mechanism is not ("PLAIN" or "SCRAM-SHA-256" or "SCRAM-SHA-512"))
            {
                throw new NotSupportedException(
                    $"sasl.mechanism={mechanism} is not supported yet by Rivulet's transaction recovery client (PLAIN, SCRAM-SHA-256 and SCRAM-SHA-512 are). " +
                    "EXACTLY_ONCE needs it to commit transactions after a crash; use another mechanism for the sink or another semantic.");
            }
        }

        X509Certificate2Collection? anchors = null;
        X509Certificate2Collection? intermediates = null;
        X509Certificate2? client = null;
        var sources = new List<string>();
        if (tls)
        {
            var authorities = TrustedAuthorities(Get("ssl.ca.location"), Get("ssl.ca.pem"), sources);
            if (authorities is not null)
            {
                anchors = [.. authorities.Where(c => c.SubjectName.RawData.AsSpan().SequenceEqual(c.IssuerName.RawData))];
                intermediates = [.. authorities.Where(c => !c.SubjectName.RawData.AsSpan().SequenceEqual(c.IssuerName.RawData))];
            }

            client = ClientCertificate(Get, sources);
        }

        return new KafkaSecurityOptions(
            tls,
            mechanism,
            Get("sasl.username"),
            Get("sasl.password"),
            anchors,
            intermediates,
            client,
            verifyCertificate: !string.Equals(Get("enable.ssl.certificate.verification"), "false", StringComparison.OrdinalIgnoreCase),
            verifyHostname: !string.Equals(Get("ssl.endpoint.identification.algorithm"), "none", StringComparison.OrdinalIgnoreCase),
            describe: $"security.protocol={protocol.ToUpperInvariant()}" +
                      (mechanism is null ? string.Empty : $", sasl.mechanism={mechanism}, sasl.username={Get("sasl.username") ?? "(none)"}") +
                      (sources.Count == 0 ? string.Empty : $", {string.Join(", ", sources)}"));
    }

    /// <summary>What is configured, without a secret.</summary>
    public override string ToString() => Description;

    public SslClientAuthenticationOptions TlsOptions(string host)
    {
        var options = new SslClientAuthenticationOptions { TargetHost = host };
        if (_clientCertificate is not null)
        {
            options.ClientCertificates = [_clientCertificate];
        }

        if (_trustAnchors is not null)
        {
            // Trust exactly the configured CAs, like librdkafka's ssl.ca.location; the intermediates
            // the broker sends (and those in the CA file) complete its chain.
            var policy = new X509ChainPolicy { TrustMode = X509ChainTrustMode.CustomRootTrust, RevocationMode = X509RevocationMode.NoCheck };
            policy.CustomTrustStore.AddRange(_trustAnchors);
            policy.ExtraStore.AddRange(_intermediates!);
            options.CertificateChainPolicy = policy;
        }

        options.RemoteCertificateValidationCallback = (_, _, _, errors) =>
        {
            if (!VerifyCertificate)
            {
                return true;
            }

            if (!VerifyHostname)
            {
                errors &= ~SslPolicyErrors.RemoteCertificateNameMismatch;
            }

            return errors == SslPolicyErrors.None;
        };
        return options;
    }

    /// <summary>The CA certificates of <c>ssl.ca.location</c> (a PEM file or a directory of them) and <c>ssl.ca.pem</c>; null when neither is set (the system's CAs).</summary>
    private static X509Certificate2Collection? TrustedAuthorities(string? location, string? pem, List<string> sources)
    {
        if (location is null && pem is null)
        {
            return null;
        }

        var authorities = new X509Certificate2Collection();
        if (location is not null)
        {
            var files = Directory.Exists(location) ? Directory.GetFiles(location) : [location];
            foreach (var file in files)
            {
                try
                {
                    authorities.ImportFromPemFile(file);
                }
                catch (Exception e) when (e is CryptographicException or IOException or UnauthorizedAccessException)
                {
                    throw new ArgumentException($"ssl.ca.location: cannot read CA certificates from '{file}': {e.Message}", e);
                }
            }

            sources.Add($"ssl.ca.location={location}");
        }

        if (pem is not null)
        {
            try
            {
                authorities.ImportFromPem(pem);
            }
            catch (CryptographicException e)
            {
                throw new ArgumentException($"ssl.ca.pem: not PEM certificates: {e.Message}", e);
            }

            sources.Add("ssl.ca.pem");
        }

        if (authorities.Count == 0)
        {
            throw new ArgumentException($"{(location is not null ? $"ssl.ca.location '{location}'" : "ssl.ca.pem")} holds no certificate.");
        }

        return authorities;
    }

    /// <summary>The client certificate, from a PKCS#12 keystore, inline PEM or PEM files, as librdkafka looks for it; null when none is configured.</summary>
    private static X509Certificate2? ClientCertificate(Func<string, string?> get, List<string> sources)
    {
        var keyPassword = get("ssl.key.password");
        if (get("ssl.keystore.location") is { } keystore)
        {
            sources.Add($"ssl.keystore.location={keystore}");
            return Load("ssl.keystore.location / ssl.keystore.password", () => X509CertificateLoader.LoadPkcs12FromFile(keystore, get("ssl.keystore.password")));
        }

        if (get("ssl.certificate.pem") is { } certificatePem)
        {
            var keyPem = get("ssl.key.pem") ?? throw new ArgumentException("ssl.certificate.pem is set but ssl.key.pem (its private key) is not.");
            sources.Add("ssl.certificate.pem");
            return Load("ssl.key.pem / ssl.key.password", () => keyPassword is null
                ? X509Certificate2.CreateFromPem(certificatePem, keyPem)
                : X509Certificate2.CreateFromEncryptedPem(certificatePem, keyPem, keyPassword));
        }

        if (get("ssl.certificate.location") is { } certificateFile)
        {
            var keyFile = get("ssl.key.location") ?? throw new ArgumentException("ssl.certificate.location is set but ssl.key.location (its private key) is not.");
            sources.Add($"ssl.certificate.location={certificateFile}");
            return Load("ssl.certificate.location / ssl.key.location / ssl.key.password", () => keyPassword is null
                ? X509Certificate2.CreateFromPemFile(certificateFile, keyFile)
                : X509Certificate2.CreateFromEncryptedPemFile(certificateFile, keyPassword, keyFile));
        }

        return null;
    }

    private static X509Certificate2 Load(string settings, Func<X509Certificate2> load)
    {
        try
        {
            return load();
        }
        catch (Exception e) when (e is CryptographicException or IOException or UnauthorizedAccessException or ArgumentException)
        {
            // The password is never part of the message, the setting names are.
            throw new ArgumentException(
                $"The client certificate of {settings} cannot be loaded: {e.Message} (a wrong password, a key that does not match the certificate, or a file that is not PEM / PKCS#12).", e);
        }
    }
}
