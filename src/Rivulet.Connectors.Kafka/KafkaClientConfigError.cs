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

        if (refusal.Message.Contains("No provider for SASL mechanism GSSAPI", StringComparison.Ordinal))
        {
            // librdkafka.redist's glibc Linux build has no GSSAPI; the other one needs libsasl2.so.3.
            message += $". Kerberos (GSSAPI) needs a librdkafka built with GSSAPI, which the stock one of the librdkafka.redist package is not " +
                       $"on this platform: set the environment variable {Native.LibrdkafkaLoader.PathVariable} to such a build " +
                       "(Rivulet's tools/native/build-librdkafka.sh makes one), or use another sasl.mechanism.";
        }

        return new ArgumentException(message, refusal);
    }
}
