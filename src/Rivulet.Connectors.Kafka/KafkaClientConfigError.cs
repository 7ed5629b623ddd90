namespace Rivulet.Connectors.Kafka;

/// <summary>
/// Turns the Kafka client's refusal of a configuration into an error that says which Rivulet
/// component was being started and, for refusals that puzzle users coming from the Java client,
/// what to change.
/// </summary>
internal static class KafkaClientConfigError
{
    public static ArgumentException Create(string component, Exception refusal)
    {
        var message = $"The {component}'s client properties were refused by the Kafka client: {refusal.Message}";
        if (refusal.Message.Contains("sasl.kerberos.kinit.cmd", StringComparison.Ordinal))
        {
            // The Java client takes Kerberos credentials from JAAS; librdkafka renews its ticket by
            // running kinit with a keytab, and checks that command when the client is created.
            message += ". With GSSAPI (Kerberos), either give a keytab (sasl.kerberos.keytab and sasl.kerberos.principal), " +
                       "or use a ticket cache kept fresh outside the job (kinit) and set sasl.kerberos.min.time.before.relogin=0.";
        }

        return new ArgumentException(message, refusal);
    }
}
