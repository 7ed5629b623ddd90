using System.Text;
using Rivulet.Connectors.Kafka.Protocol;

namespace Rivulet.Connectors.Kafka.Tests.Protocol;

public sealed class ScramClientTests
{
    // RFC 7677 section 3: the SCRAM-SHA-256 example exchange.
    [Fact]
    public void Produces_the_RFC_7677_client_proof_and_verifies_the_server_signature()
    {
        var client = new ScramClient("SCRAM-SHA-256", "user", "pencil", nonce: "rOprNGfwEbeRWgbNEkqO");

        Assert.Equal("n,,n=user,r=rOprNGfwEbeRWgbNEkqO", Encoding.UTF8.GetString(client.ClientFirstMessage()));
        var final = client.ClientFinalMessage(Encoding.UTF8.GetBytes("r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096"));
        Assert.Equal("c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=", Encoding.UTF8.GetString(final));

        client.VerifyServerFinal(Encoding.UTF8.GetBytes("v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4="));
        Assert.Throws<AuthenticationFailedException>(() => client.VerifyServerFinal(Encoding.UTF8.GetBytes("v=AAAATRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=")));
    }

    [Fact]
    public void A_server_nonce_that_does_not_extend_ours_is_refused()
    {
        var client = new ScramClient("SCRAM-SHA-512", "user", "pencil", nonce: "abc");
        client.ClientFirstMessage();
        Assert.Throws<AuthenticationFailedException>(() => client.ClientFinalMessage(Encoding.UTF8.GetBytes("r=xyz,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096")));
    }

    [Theory]
    [InlineData("SASL_SSL", "GSSAPI", "GSSAPI is not supported yet")]
    [InlineData("SASL_PLAINTEXT", "OAUTHBEARER", "OAUTHBEARER is not supported yet")]
    [InlineData("CARRIER_PIGEON", null, "security.protocol 'CARRIER_PIGEON'")]
    public void Unsupported_security_settings_are_named(string protocol, string? mechanism, string expected)
    {
        var properties = new Dictionary<string, string> { ["bootstrap.servers"] = "127.0.0.1:1", ["security.protocol"] = protocol };
        if (mechanism != null)
        {
            properties["sasl.mechanism"] = mechanism;
        }

        var error = Assert.ThrowsAny<Exception>(() => new TransactionRecoveryClient(properties));
        Assert.Contains(expected, error.Message);
    }
}
