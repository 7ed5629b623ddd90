namespace Rivulet.Core.Runtime;

/// <summary>A subtask failed; names it.</summary>
public sealed class SubtaskFailedException(string subtask, Exception inner) : Exception($"{subtask} failed: {inner.Message}", inner)
{
    /// <summary>The failed subtask, as its chain's operator names and its 1-based index, e.g. "Source -> Map (2/4)".</summary>
    public string Subtask { get; } = subtask;
}
