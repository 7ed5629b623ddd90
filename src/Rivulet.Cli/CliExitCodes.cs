namespace Rivulet.Cli;

/// <summary>The exit codes every <c>rivulet</c> command uses (documented in the README).</summary>
internal static class CliExitCodes
{
    /// <summary>Done; for demo and chaos: the guarantee held.</summary>
    public const int Success = 0;

    /// <summary>The run finished and found its guarantee broken, or could not finish (a stall, a job that failed).</summary>
    public const int Failed = 1;

    /// <summary>Bad input: an unknown option, a value out of range.</summary>
    public const int BadInput = 2;

    /// <summary>The Kafka cluster could not be reached or refused the request.</summary>
    public const int KafkaUnavailable = 3;

    /// <summary>Interrupted (Ctrl+C, SIGTERM).</summary>
    public const int Interrupted = 130;
}
