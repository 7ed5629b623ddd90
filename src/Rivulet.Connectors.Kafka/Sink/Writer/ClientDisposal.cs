using Microsoft.Extensions.Logging;

namespace Rivulet.Connectors.Kafka.Sink.Writer;

/// <summary>Closes several Kafka clients so that one failing to close never leaves the others open.</summary>
internal static class ClientDisposal
{
    /// <summary>Runs every close, logging each failure; returns the failures once all ran.</summary>
    public static List<Exception> CloseAll(IEnumerable<Action> closes, ILogger logger)
    {
        var failures = new List<Exception>();
        foreach (var close in closes)
        {
            try
            {
                close();
            }
            catch (Exception e)
            {
                logger.LogWarning(e, "Closing a Kafka client of the sink failed");
                failures.Add(e);
            }
        }

        return failures;
    }
}
