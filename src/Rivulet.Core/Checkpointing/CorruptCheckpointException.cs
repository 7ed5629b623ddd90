namespace Rivulet.Core.Checkpointing;

/// <summary>
/// A checkpoint or savepoint cannot be restored because one of its files is damaged (truncated,
/// changed, unreadable). Rivulet never falls back to another checkpoint on its own: which one is
/// safe depends on what the job's sinks already made visible, so the message says how to choose
/// one explicitly.
/// </summary>
public sealed class CorruptCheckpointException(string message, Exception? inner = null) : Exception(message, inner);
