namespace Rivulet.Core.Checkpointing;

/// <summary>A state file ended before its content did.</summary>
internal sealed class TruncatedStateFileException(string file, Exception inner) : Exception($"{file} ends early.", inner)
{
    public string File { get; } = file;
}
