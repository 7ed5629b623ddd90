using Rivulet.Connectors.Kafka.Sink.Testing;

namespace Rivulet.Cli.Demo;

/// <summary>
/// The crash points of the process-level crash tests: inactive unless the environment variable
/// <c>RIVULET_CRASH_AT</c> is <c>point:checkpointId:markerFile</c>; then a sink subtask reaching
/// that point at or after that checkpoint creates the marker file and blocks forever, waiting to
/// be killed (SIGKILL) by the test.
/// </summary>
internal sealed class EnvironmentCrashPoints : ISinkCrashPoints
{
    public const string Variable = "RIVULET_CRASH_AT";

    private readonly string _point;
    private readonly long _checkpointId;
    private readonly string _marker;

    private EnvironmentCrashPoints(string point, long checkpointId, string marker)
    {
        _point = point;
        _checkpointId = checkpointId;
        _marker = marker;
    }

    /// <summary>The crash point the environment asks for, or null.</summary>
    public static EnvironmentCrashPoints? FromEnvironment() => Parse(Environment.GetEnvironmentVariable(Variable));

    public void Reached(string point, long checkpointId, int subtaskIndex)
    {
        if (point != _point || checkpointId < _checkpointId)
        {
            return;
        }

        try
        {
            using (File.Open(_marker, FileMode.CreateNew))
            {
            }
        }
        catch (IOException)
        {
            // Another subtask got there first; this one waits for the kill too.
        }

        Thread.Sleep(Timeout.Infinite);
    }

    internal static EnvironmentCrashPoints? Parse(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return null;
        }

        var parts = value.Split(':', 3);
        return parts.Length == 3 && long.TryParse(parts[1], out var checkpoint)
            ? new EnvironmentCrashPoints(parts[0], checkpoint, parts[2])
            : throw new ArgumentException($"{Variable} must be point:checkpointId:markerFile, not '{value}'.");
    }
}
