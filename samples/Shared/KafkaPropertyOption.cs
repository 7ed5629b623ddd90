using System.CommandLine;

namespace Rivulet.Samples;

/// <summary><c>--property KEY=VALUE</c> (repeatable): extra Kafka client properties, e.g. the seeds' <c>security.protocol</c>.</summary>
internal static class KafkaPropertyOption
{
    public static Option<string[]> Create() => new("--property")
    {
        Description = "An extra Kafka client property KEY=VALUE (repeatable), e.g. security.protocol=SASL_PLAINTEXT",
        AllowMultipleArgumentsPerToken = false,
    };

    /// <summary>Adds the <c>KEY=VALUE</c> pairs to <paramref name="properties"/>; a malformed one fails naming it.</summary>
    public static void AddTo(Dictionary<string, string> properties, IEnumerable<string>? pairs)
    {
        foreach (var pair in pairs ?? [])
        {
            var separator = pair.IndexOf('=', StringComparison.Ordinal);
            if (separator <= 0)
            {
                throw new ArgumentException($"--property must be KEY=VALUE, not '{pair}'.");
            }

            properties[pair[..separator].Trim()] = pair[(separator + 1)..].Trim();
        }
    }
}
