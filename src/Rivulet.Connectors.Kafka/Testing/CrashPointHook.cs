namespace Rivulet.Connectors.Kafka.Testing;

/// <summary>
/// Lets crash tests stop a sink at a precise point of the two-phase commit so the test can kill
/// the process there (SIGKILL) and check what a restart makes of it. Inactive unless the
/// environment variable <c>RIVULET_CRASH_AT</c> is set to <c>point:checkpointId:markerFile</c>;
/// when the sink reaches that point at or after that checkpoint, it creates the marker file and
/// blocks forever, waiting to be killed.
/// </summary>
public static class CrashPointHook
{
    public const string Variable = "RIVULET_CRASH_AT";

    public const string BeforePreCommit = "before-pre-commit";
    public const string AfterPreCommit = "after-pre-commit";
    public const string AfterCheckpointBeforeCommit = "after-checkpoint-before-commit";
    public const string DuringCommit = "during-commit";

    private static readonly (string Point, long CheckpointId, string Marker)? Configured = Parse(Environment.GetEnvironmentVariable(Variable));

    public static void Reached(string point, long checkpointId, int subtaskIndex)
    {
        if (Configured is not { } crash || crash.Point != point || checkpointId < crash.CheckpointId)
        {
            return;
        }

        // During the commit: only the first subtask stops, after committing its own transaction,
        // so the others' transactions of the same checkpoint are still pending.
        if (point == DuringCommit && subtaskIndex != 0)
        {
            return;
        }

        try
        {
            using (File.Open(crash.Marker, FileMode.CreateNew))
            {
            }
        }
        catch (IOException)
        {
            // Another subtask got there first; it waits for the kill.
        }

        Thread.Sleep(Timeout.Infinite);
    }

    private static (string, long, string)? Parse(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return null;
        }

        var parts = value.Split(':', 3);
        return parts.Length == 3 && long.TryParse(parts[1], out var checkpoint)
            ? (parts[0], checkpoint, parts[2])
            : throw new ArgumentException($"{Variable} must be point:checkpointId:markerFile, not '{value}'.");
    }
}
