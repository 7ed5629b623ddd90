using Confluent.Kafka;
using Rivulet.Connectors.Kafka.Protocol;
using Rivulet.Connectors.Kafka.Sink.Transactions;
using Rivulet.Connectors.Kafka.Tests.Sink;
using Rivulet.Testing.Kafka;

namespace Rivulet.Connectors.Kafka.Tests.Protocol;

/// <summary>
/// The recovery client reads the TLS settings as librdkafka does, against a broker front that
/// requires a client certificate and whose certificate an intermediate CA signed: the CA from a
/// file or inline, the client certificate from PEM files with an encrypted key, inline PEM
/// (encrypted or not) or a PKCS#12 keystore. librdkafka connects with the very same properties,
/// so both clients agree on their meaning; and no password shows in any message.
/// </summary>
public sealed class RecoveryClientTlsTests : IDisposable
{
    private readonly KafkaTestCluster _cluster = KafkaTestCluster.Start(1);
    private readonly TestCertificateAuthority _pki = new();

    public static TheoryData<string> ClientCertificateForms => ["pem files, encrypted key", "inline pem", "inline pem, encrypted key", "pkcs12 keystore"];

    [Theory]
    [MemberData(nameof(ClientCertificateForms))]
    public async Task Commits_through_TLS_with_a_client_certificate_and_an_intermediate_CA(string form)
    {
        var (topic, pending) = CrashedSinkTransaction.Leave(_cluster, "tls", "tls-0", "tls-1");
        await using var front = new SecureBrokerFront(_cluster.BootstrapServers, _pki.BrokerTls());
        var properties = Properties(front.BootstrapServers, form);

        Assert.True(new TransactionRecoveryClient(properties, TimeSpan.FromSeconds(20)).Commit(pending, TestContext.Current.CancellationToken).Committed);

        Assert.Equal(["tls-0", "tls-1"], SinkTestSupport.ReadAll(_cluster.BootstrapServers, topic, 1, IsolationLevel.ReadCommitted).Select(r => SinkTestSupport.Text(r.Message.Value)));
        var acceptedByRecovery = _pki.AcceptedClients;
        Assert.True(acceptedByRecovery >= 1, "the broker should have seen the client certificate");

        // librdkafka, given the same properties, connects through the same front.
        using var admin = new AdminClientBuilder(new AdminClientConfig(properties)).Build();
        var metadata = admin.GetMetadata(topic, TimeSpan.FromSeconds(20));
        Assert.Contains(metadata.Topics, t => t.Topic == topic && !t.Error.IsError);
        // Every broker librdkafka learns is the TLS listener: once it drops the bootstrap connection it must come back through it.
        Assert.All(metadata.Brokers, b => Assert.Equal(front.BootstrapServers, $"{b.Host}:{b.Port}"));
        Assert.True(_pki.AcceptedClients > acceptedByRecovery, "librdkafka should have presented the same client certificate");
    }

    [Fact]
    public async Task Without_a_client_certificate_the_broker_refuses_the_recovery()
    {
        var (_, pending) = CrashedSinkTransaction.Leave(_cluster, "tls", "tls-0");
        await using var front = new SecureBrokerFront(_cluster.BootstrapServers, _pki.BrokerTls());
        var client = new TransactionRecoveryClient(new Dictionary<string, string>
        {
            ["bootstrap.servers"] = front.BootstrapServers,
            ["security.protocol"] = "SSL",
            ["ssl.ca.location"] = _pki.RootPemPath,
        }, TimeSpan.FromSeconds(5));

        Assert.ThrowsAny<Exception>(() => client.Commit(pending, TestContext.Current.CancellationToken));
        Assert.Equal(0, _pki.AcceptedClients);
    }

    [Fact]
    public void A_wrong_key_password_is_refused_naming_the_settings_and_never_the_password()
    {
        var properties = Properties("127.0.0.1:1", "pem files, encrypted key");
        properties["ssl.key.password"] = "not-the-password-9871";

        var error = Assert.Throws<ArgumentException>(() => new TransactionRecoveryClient(properties));

        Assert.Contains("ssl.key.password", error.Message);
        Assert.DoesNotContain("not-the-password-9871", error.ToString());
    }

    [Fact]
    public void The_settings_describe_themselves_without_any_secret()
    {
        var properties = Properties("127.0.0.1:1", "pkcs12 keystore");
        properties["security.protocol"] = "SASL_SSL";
        properties["sasl.mechanism"] = "SCRAM-SHA-512";
        properties["sasl.username"] = "alice";
        properties["sasl.password"] = "sasl-secret-4411";

        var described = KafkaSecurityOptions.From(properties).ToString();

        Assert.Contains("security.protocol=SASL_SSL", described);
        Assert.Contains("sasl.username=alice", described);
        Assert.Contains("ssl.keystore.location=", described);
        Assert.DoesNotContain("sasl-secret-4411", described);
        Assert.DoesNotContain(TestCertificateAuthority.KeyPassword, described);
    }

    public void Dispose()
    {
        _cluster.Dispose();
        _pki.Dispose();
    }

    private Dictionary<string, string> Properties(string bootstrap, string form)
    {
        var properties = new Dictionary<string, string> { ["bootstrap.servers"] = bootstrap, ["security.protocol"] = "SSL" };
        switch (form)
        {
            case "pem files, encrypted key":
                properties["ssl.ca.location"] = _pki.RootPemPath;
                properties["ssl.certificate.location"] = _pki.ClientCertificatePath;
                properties["ssl.key.location"] = _pki.ClientEncryptedKeyPath;
                properties["ssl.key.password"] = TestCertificateAuthority.KeyPassword;
                break;
            case "inline pem":
                properties["ssl.ca.pem"] = _pki.RootPem;
                properties["ssl.certificate.pem"] = _pki.ClientCertificatePem;
                properties["ssl.key.pem"] = _pki.ClientKeyPem;
                break;
            case "inline pem, encrypted key":
                properties["ssl.ca.pem"] = _pki.RootPem;
                properties["ssl.certificate.pem"] = _pki.ClientCertificatePem;
                properties["ssl.key.pem"] = _pki.ClientEncryptedKeyPem;
                properties["ssl.key.password"] = TestCertificateAuthority.KeyPassword;
                break;
            default:
                properties["ssl.ca.location"] = _pki.RootPemPath;
                properties["ssl.keystore.location"] = _pki.ClientKeystorePath;
                properties["ssl.keystore.password"] = TestCertificateAuthority.KeyPassword;
                break;
        }

        return properties;
    }
}
