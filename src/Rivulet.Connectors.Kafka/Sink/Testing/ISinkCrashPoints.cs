namespace Rivulet.Connectors.Kafka.Sink.Testing;

/// <summary>
/// Where a sink subtask reports each step of its two-phase commit and of its recovery, so crash
/// tests can kill it exactly there. Internal: no shipped configuration reaches it.
/// </summary>
internal interface ISinkCrashPoints
{
    /// <summary>The subtask reached <paramref name="point"/> (a <see cref="SinkCrashPoint"/> name) for <paramref name="checkpointId"/>.</summary>
    void Reached(string point, long checkpointId, int subtaskIndex);
}
