using System.CommandLine;
using System.Reflection;
using Confluent.Kafka;
using Rivulet.Connectors.Kafka.Native;

namespace Rivulet.Cli.Commands;

/// <summary>
/// <c>rivulet version</c>: the versions of Rivulet, Confluent.Kafka and the native librdkafka in
/// use, where that library came from, and whether it can do Kerberos (GSSAPI).
/// </summary>
internal static class VersionCommand
{
    public static Command Create()
    {
        var command = new Command("version", "Print the versions of Rivulet and of the Kafka client library it uses, and whether that library supports GSSAPI (Kerberos)");
        command.SetAction(_ =>
        {
            Console.WriteLine($"rivulet {Informational(typeof(VersionCommand).Assembly)}");
            Console.WriteLine($"Confluent.Kafka {Informational(typeof(Library).Assembly)}");
            Console.WriteLine($"librdkafka {Library.VersionString}");
            Console.WriteLine($"librdkafka source: {(LibrdkafkaLoader.OverridePath is { } path ? $"{LibrdkafkaLoader.PathVariable}={path}" : "librdkafka.redist (stock)")}");
            Console.WriteLine($"gssapi: {(SupportsGssapi() ? "yes" : "no")}");
            return 0;
        });
        return command;
    }

    private static string Informational(Assembly assembly)
    {
        var version = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
            ?? assembly.GetName().Version?.ToString() ?? "unknown";
        var plus = version.IndexOf('+', StringComparison.Ordinal);
        return plus < 0 ? version : version[..plus];
    }

    /// <summary>
    /// librdkafka refuses to create a client configured for GSSAPI when it was built without
    /// it; a client that is never used connects nowhere (relogin off, so no kinit runs).
    /// </summary>
    private static bool SupportsGssapi()
    {
        var config = new ProducerConfig
        {
            BootstrapServers = "127.0.0.1:9",
            SecurityProtocol = SecurityProtocol.SaslPlaintext,
            SaslMechanism = SaslMechanism.Gssapi,
        };
        config.Set("sasl.kerberos.min.time.before.relogin", "0");
        try
        {
            using var producer = new ProducerBuilder<Null, Null>(config).SetLogHandler((_, _) => { }).Build();
            return true;
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException or KafkaException)
        {
            // Confluent.Kafka reports librdkafka's "No provider for SASL mechanism GSSAPI" as an
            // InvalidOperationException.
            return false;
        }
    }
}
