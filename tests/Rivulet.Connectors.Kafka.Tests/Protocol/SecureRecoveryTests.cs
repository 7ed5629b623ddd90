using System.Security.Authentication;
using Confluent.Kafka;
using Rivulet.Connectors.Kafka.Protocol;
using Rivulet.Connectors.Kafka.Sink.Transactions;
using Rivulet.Connectors.Kafka.Tests.Sink;
using Rivulet.Testing.Kafka;

namespace Rivulet.Connectors.Kafka.Tests.Protocol;

/// <summary>
/// The recovery client speaks the main client's security protocol: it commits a pre-committed
/// transaction through a TLS and/or SASL listener (<see cref="SecureBrokerFront"/> in front of a
/// test broker), and refuses a server it cannot trust or credentials the server refuses.
/// </summary>
public sealed class SecureRecoveryTests : IDisposable
{
    private readonly KafkaTestCluster _cluster = KafkaTestCluster.Start(1);

    [Theory]
    [InlineData("SSL", null)]
    [InlineData("SASL_PLAINTEXT", "PLAIN")]
    [InlineData("SASL_PLAINTEXT", "SCRAM-SHA-256")]
    [InlineData("SASL_SSL", "SCRAM-SHA-512")]
    public async Task Commits_through_the_security_protocol_of_the_main_client(string protocol, string? mechanism)
    {
        var (topic, pending) = PreCommitted();
        var tls = protocol.EndsWith("SSL", StringComparison.Ordinal) ? SecureBrokerFront.SelfSignedCertificate() : default;
        await using var front = new SecureBrokerFront(_cluster.BootstrapServers, tls.Certificate, mechanism is null ? null : (mechanism, "alice", "s3cret"));
        var properties = new Dictionary<string, string> { ["bootstrap.servers"] = front.BootstrapServers, ["security.protocol"] = protocol };
        if (tls.PemPath is not null)
        {
            properties["ssl.ca.location"] = tls.PemPath;
        }

        if (mechanism is not null)
        {
            properties["sasl.mechanism"] = mechanism;
            properties["sasl.username"] = "alice";
            properties["sasl.password"] = "s3cret";
        }

        Assert.True(new TransactionRecoveryClient(properties, TimeSpan.FromSeconds(20)).Commit(pending, TestContext.Current.CancellationToken).Committed);

        Assert.Equal(["secure-0", "secure-1"], SinkTestSupport.ReadAll(_cluster.BootstrapServers, topic, 1, IsolationLevel.ReadCommitted).Select(r => SinkTestSupport.Text(r.Message.Value)));
    }

    [Fact]
    public async Task A_server_certificate_not_signed_by_the_configured_CA_is_refused()
    {
        var (_, pending) = PreCommitted();
        var server = SecureBrokerFront.SelfSignedCertificate();
        var otherCa = SecureBrokerFront.SelfSignedCertificate();
        await using var front = new SecureBrokerFront(_cluster.BootstrapServers, server.Certificate, sasl: null);
        var client = new TransactionRecoveryClient(new Dictionary<string, string>
        {
            ["bootstrap.servers"] = front.BootstrapServers,
            ["security.protocol"] = "SSL",
            ["ssl.ca.location"] = otherCa.PemPath,
        }, TimeSpan.FromSeconds(20));

        Assert.Throws<AuthenticationException>(() => client.Commit(pending, TestContext.Current.CancellationToken));
    }

    [Theory]
    [InlineData("PLAIN")]
    [InlineData("SCRAM-SHA-256")]
    public async Task Credentials_the_server_refuses_fail_the_recovery_at_once(string mechanism)
    {
        var (topic, pending) = PreCommitted();
        await using var front = new SecureBrokerFront(_cluster.BootstrapServers, null, (mechanism, "alice", "s3cret"));
        var client = new TransactionRecoveryClient(new Dictionary<string, string>
        {
            ["bootstrap.servers"] = front.BootstrapServers,
            ["security.protocol"] = "SASL_PLAINTEXT",
            ["sasl.mechanism"] = mechanism,
            ["sasl.username"] = "alice",
            ["sasl.password"] = "wrong",
        }, TimeSpan.FromSeconds(20));

        var error = Assert.Throws<AuthenticationFailedException>(() => client.Commit(pending, TestContext.Current.CancellationToken));

        Assert.Contains("Authentication failed: invalid credentials", error.Message);
        Assert.Equal(1, front.RefusedLogins);
        Assert.Equal(0, SinkTestSupport.LastStableOffset(_cluster.BootstrapServers, topic, 0));
    }

    public void Dispose() => _cluster.Dispose();

    private (string Topic, PendingTransaction Pending) PreCommitted() => CrashedSinkTransaction.Leave(_cluster, "secure", "secure-0", "secure-1");
}
