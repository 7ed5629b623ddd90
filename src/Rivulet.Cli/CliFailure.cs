using Confluent.Kafka;

namespace Rivulet.Cli;

/// <summary>
/// Turns what escaped a command into one sentence and an exit code: the Kafka cluster being
/// unreachable is said so (exit 3), anything else names its message (exit 1). The stack trace is
/// printed only with <c>--verbose</c>.
/// </summary>
internal static class CliFailure
{
    public static int Report(string command, Exception error, bool verbose, TextWriter output)
    {
        var code = IsKafkaUnavailable(error) ? CliExitCodes.KafkaUnavailable : CliExitCodes.Failed;
        var message = code == CliExitCodes.KafkaUnavailable
            ? $"rivulet {command}: the Kafka cluster did not answer: {Innermost(error).Message} (check --bootstrap-servers and that the brokers are up)."
            : $"rivulet {command}: {Innermost(error).Message}";
        output.WriteLine(message);
        output.WriteLine(verbose ? error.ToString() : "(run with --verbose for the details)");
        return code;
    }

    private static bool IsKafkaUnavailable(Exception error)
    {
        for (var e = error; e is not null; e = e.InnerException)
        {
            if (e is KafkaException kafka && kafka.Error.Code is ErrorCode.Local_AllBrokersDown or ErrorCode.Local_Transport or ErrorCode.Local_TimedOut
                    or ErrorCode.Local_Resolve or ErrorCode.BrokerNotAvailable)
            {
                return true;
            }
        }

        return false;
    }

    private static Exception Innermost(Exception error)
    {
        var e = error;
        while (e is AggregateException && e.InnerException is not null)
        {
            e = e.InnerException;
        }

        return e;
    }
}
