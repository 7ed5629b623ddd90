using Confluent.Kafka;
using Microsoft.Extensions.Logging;

namespace Rivulet.Connectors.Kafka;

/// <summary>
/// Where one librdkafka client's log lines and error callbacks go. librdkafka reports a broker it
/// cannot reach (a refused connection, a dropped one, all brokers down) as an error, once per
/// connection attempt — dozens of lines per broker restart — although it retries on its own. Those
/// transient troubles are logged for what they are: at information level, once per episode (a
/// broker, for all clients of the process together, then again only after a quiet minute, with how
/// many were left out). Every other problem keeps its level.
/// </summary>
internal sealed partial class ClientLog(ILogger logger, string client)
{
    private static readonly TimeSpan Quiet = TimeSpan.FromMinutes(1);

    // Shared by every client of the process: a broker restart is one episode, not one per client.
    private static readonly Dictionary<string, (DateTime Last, int Suppressed)> Episodes = new(StringComparer.Ordinal);
    private static readonly Lock Gate = new();

    /// <summary>Whether librdkafka says this about a connection it will retry by itself.</summary>
    public static bool IsTransient(Error error) =>
        !error.IsFatal && error.Code is ErrorCode.Local_Transport or ErrorCode.Local_AllBrokersDown or ErrorCode.Local_Resolve or ErrorCode.Local_TimedOut;

    /// <summary>The same, for a log line (facility and text).</summary>
    public static bool IsTransient(LogMessage message) =>
        message.Facility is "FAIL" or "ERROR" or "BROKERFAIL"
        && (message.Message.Contains("Connection refused", StringComparison.Ordinal)
            || message.Message.Contains("Disconnected", StringComparison.Ordinal)
            || message.Message.Contains("Connect to", StringComparison.Ordinal)
            || message.Message.Contains("brokers are down", StringComparison.Ordinal)
            || message.Message.Contains("Connection reset", StringComparison.Ordinal)
            || message.Message.Contains("timed out", StringComparison.Ordinal));

    /// <summary>Logs an error callback: transient ones once per episode at information level, others as warnings.</summary>
    public void Error(Error error)
    {
        if (IsTransient(error))
        {
            Transient(EpisodeKey(error.Reason), $"{error.Code}: {error.Reason}");
        }
        else
        {
            logger.LogWarning("Kafka {Client}: {Code}: {Reason}", client, error.Code, error.Reason);
        }
    }

    /// <summary>Logs a librdkafka log line at its own level, transient connection trouble once per episode.</summary>
    public void Log(LogMessage message)
    {
        if (IsTransient(message))
        {
            Transient(EpisodeKey(message.Message), $"{message.Facility}: {message.Message}");
            return;
        }

        var level = message.Level switch
        {
            SyslogLevel.Emergency or SyslogLevel.Alert or SyslogLevel.Critical or SyslogLevel.Error => LogLevel.Error,
            SyslogLevel.Warning => LogLevel.Warning,
            SyslogLevel.Notice or SyslogLevel.Info => LogLevel.Information,
            _ => LogLevel.Debug,
        };
        logger.Log(level, "librdkafka {Facility}: {Message}", message.Facility, message.Message);
    }

    private void Transient(string episode, string text)
    {
        int suppressed;
        lock (Gate)
        {
            var now = DateTime.UtcNow;
            if (Episodes.TryGetValue(episode, out var known) && now - known.Last < Quiet)
            {
                Episodes[episode] = (known.Last, known.Suppressed + 1);
                return;
            }

            suppressed = known.Suppressed;
            Episodes[episode] = (now, 0);
        }

        logger.LogInformation(
            "Kafka {Client}: {Problem} — broker {Broker} is unreachable for now; the clients retry by themselves (repeats are logged once a minute{Suppressed})",
            client, text, episode, suppressed > 0 ? $"; {suppressed} left out since the last line" : string.Empty);
    }

    /// <summary>The broker (host:port) a message is about, else the whole cluster.</summary>
    private static string EpisodeKey(string text) => BrokerAddress().Match(text) is { Success: true } match ? match.Value : "cluster";

    [System.Text.RegularExpressions.GeneratedRegex(@"[\w.\-\[\]]+:\d+(?=/)")]
    private static partial System.Text.RegularExpressions.Regex BrokerAddress();
}
