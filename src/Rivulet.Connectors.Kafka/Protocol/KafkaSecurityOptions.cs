using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace Rivulet.Connectors.Kafka.Protocol;

/// <summary>
/// The main client's security settings, read from the same Kafka properties, so the recovery
/// client reaches the brokers the same way: <c>security.protocol</c>, <c>sasl.*</c>, <c>ssl.*</c>.
/// </summary>
internal sealed record KafkaSecurityOptions
{
    public bool UseTls { get; init; }

    public string? SaslMechanism { get; init; }

    public string? Username { get; init; }

    public string? Password { get; init; }

    public string? CaLocation { get; init; }

    public string? CertificateLocation { get; init; }

    public string? KeyLocation { get; init; }

    public string? KeyPassword { get; init; }

    public bool VerifyCertificate { get; init; } = true;

    public bool VerifyHostname { get; init; } = true;

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

        return new KafkaSecurityOptions
        {
            UseTls = tls,
            SaslMechanism = mechanism,
            Username = Get("sasl.username"),
            Password = Get("sasl.password"),
            CaLocation = Get("ssl.ca.location"),
            CertificateLocation = Get("ssl.certificate.location"),
            KeyLocation = Get("ssl.key.location"),
            KeyPassword = Get("ssl.key.password"),
            VerifyCertificate = !string.Equals(Get("enable.ssl.certificate.verification"), "false", StringComparison.OrdinalIgnoreCase),
            VerifyHostname = !string.Equals(Get("ssl.endpoint.identification.algorithm"), "none", StringComparison.OrdinalIgnoreCase),
        };
    }

    public SslClientAuthenticationOptions TlsOptions(string host)
    {
        var options = new SslClientAuthenticationOptions { TargetHost = host };
        if (CertificateLocation is not null && KeyLocation is not null)
        {
            var certificate = X509Certificate2.CreateFromPemFile(CertificateLocation, KeyLocation);
            options.ClientCertificates = [certificate];
        }

        X509Certificate2Collection? trusted = null;
        if (CaLocation is not null)
        {
            trusted = [];
            trusted.ImportFromPemFile(CaLocation);
        }

        options.RemoteCertificateValidationCallback = (_, certificate, chain, errors) =>
        {
            if (!VerifyCertificate)
            {
                return true;
            }

            if (!VerifyHostname)
            {
                errors &= ~SslPolicyErrors.RemoteCertificateNameMismatch;
            }

            if (trusted is null || certificate is null)
            {
                return errors == SslPolicyErrors.None;
            }

            // Trust exactly the CA file, like librdkafka's ssl.ca.location.
            using var custom = new X509Chain();
            custom.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            custom.ChainPolicy.CustomTrustStore.AddRange(trusted);
            custom.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            var valid = custom.Build(new X509Certificate2(certificate));
            return valid && (errors & SslPolicyErrors.RemoteCertificateNameMismatch) == 0;
        };
        return options;
    }
}
