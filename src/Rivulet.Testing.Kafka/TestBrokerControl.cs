using System.Globalization;
using Confluent.Kafka;

namespace Rivulet.Testing.Kafka;

/// <summary>
/// The line-oriented control language of <c>rivulet test-broker</c>'s standard input, so scripts
/// and child-process tests can reshape a running test broker.
/// </summary>
public sealed class TestBrokerControl(KafkaTestCluster cluster)
{
    /// <summary>The usage text of the commands, replied to <c>help</c> and after an unknown command.</summary>
    public const string Help =
        """
        commands:
          create-topic NAME PARTITIONS [REPLICATION]   create a topic
          add-partitions NAME PARTITIONS               grow topic NAME to PARTITIONS partitions in total
          broker-down ID                               take broker ID (1..N) down
          broker-up ID                                 bring broker ID back up
          inject-errors API ERROR [ERROR ...]          fail the next requests of API (name or key) with these errors (name or code)
          clear-errors API                             drop injected errors of API not used yet
          transaction-max-timeout MS                   set the brokers' transaction.max.timeout.ms (default 900000)
          expire-transaction ID                        abort transactional id ID's open transaction as its timeout would (fences its producer)
          bootstrap                                    print the bootstrap servers
          help                                         this text
          quit                                         stop the broker
        """;

    /// <summary>Runs one command line; returns the reply to print and whether to stop.</summary>
    public (string Reply, bool Quit) Execute(string line)
    {
        var words = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        if (words.Length == 0)
        {
            return (string.Empty, false);
        }

        try
        {
            switch (words[0].ToLowerInvariant())
            {
                case "create-topic":
                    Expect(words, 3, 4, "create-topic NAME PARTITIONS [REPLICATION]");
                    cluster.CreateTopic(words[1], Number(words[2], "PARTITIONS"), words.Length > 3 ? Number(words[3], "REPLICATION") : 1);
                    return ($"ok created {words[1]} partitions={words[2]}", false);
                case "add-partitions":
                    Expect(words, 3, 3, "add-partitions NAME PARTITIONS");
                    cluster.AddPartitions(words[1], Number(words[2], "PARTITIONS"));
                    return ($"ok {words[1]} partitions={words[2]}", false);
                case "broker-down":
                    Expect(words, 2, 2, "broker-down ID");
                    cluster.SetBrokerDown(Number(words[1], "ID"));
                    return ($"ok broker {words[1]} down", false);
                case "broker-up":
                    Expect(words, 2, 2, "broker-up ID");
                    cluster.SetBrokerUp(Number(words[1], "ID"));
                    return ($"ok broker {words[1]} up", false);
                case "inject-errors":
                    Expect(words, 3, int.MaxValue, "inject-errors API ERROR [ERROR ...]");
                    var api = ParseApi(words[1]);
                    var errors = words.Skip(2).Select(ParseError).ToArray();
                    cluster.InjectRequestErrors(api, errors);
                    return ($"ok {errors.Length} error(s) queued for {api}", false);
                case "clear-errors":
                    Expect(words, 2, 2, "clear-errors API");
                    cluster.ClearRequestErrors(ParseApi(words[1]));
                    return ("ok", false);
                case "transaction-max-timeout":
                    Expect(words, 2, 2, "transaction-max-timeout MS");
                    cluster.SetTransactionMaxTimeout(Number(words[1], "MS"));
                    return ($"ok transaction.max.timeout.ms={words[1]}", false);
                case "expire-transaction":
                    Expect(words, 2, 2, "expire-transaction ID");
                    cluster.ExpireTransaction(words[1]);
                    return ($"ok aborted the transaction of {words[1]}", false);
                case "bootstrap":
                    return (cluster.BootstrapServers, false);
                case "help":
                    return (Help, false);
                case "quit":
                case "exit":
                    return ("ok stopping", true);
                default:
                    return ($"error: unknown command '{words[0]}'\n{Help}", false);
            }
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or FormatException)
        {
            return ($"error: {e.Message}", false);
        }
    }

    private static void Expect(string[] words, int min, int max, string usage)
    {
        if (words.Length < min || words.Length > max)
        {
            throw new FormatException($"usage: {usage}");
        }
    }

    private static int Number(string word, string what) =>
        int.TryParse(word, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new FormatException($"{what} must be a whole number, not '{word}'");

    private static KafkaApiKey ParseApi(string word)
    {
        if (short.TryParse(word, NumberStyles.Integer, CultureInfo.InvariantCulture, out var key))
        {
            return (KafkaApiKey)key;
        }

        return Enum.TryParse<KafkaApiKey>(word, ignoreCase: true, out var api)
            ? api
            : throw new FormatException($"unknown API '{word}'; use a key number or one of {string.Join(", ", Enum.GetNames<KafkaApiKey>())}");
    }

    private static ErrorCode ParseError(string word)
    {
        if (int.TryParse(word, NumberStyles.Integer, CultureInfo.InvariantCulture, out var code))
        {
            return (ErrorCode)code;
        }

        return Enum.TryParse<ErrorCode>(word, ignoreCase: true, out var error)
            ? error
            : throw new FormatException($"unknown error '{word}'; use a Kafka error code number or a Confluent.Kafka ErrorCode name such as NotLeaderForPartition");
    }
}
