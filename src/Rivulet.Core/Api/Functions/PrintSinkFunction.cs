namespace Rivulet.Core.Api.Functions;

/// <summary>Writes each element to standard output, prefixed "n> " with the 1-based subtask number when parallel (as Flink's print()).</summary>
public sealed class PrintSinkFunction<T>(TextWriter? writer = null, string? sinkIdentifier = null) : ISinkFunction<T>, IRichFunction
{
    private readonly TextWriter _writer = writer ?? Console.Out;
    private string _prefix = string.Empty;

    /// <inheritdoc />
    public void Open(IRuntimeContext context)
    {
        var subtask = context.NumberOfParallelSubtasks > 1 ? $"{context.SubtaskIndex + 1}" : null;
        _prefix = (sinkIdentifier, subtask) switch
        {
            (null, null) => string.Empty,
            (null, { } s) => $"{s}> ",
            ({ } id, null) => $"{id}> ",
            ({ } id, { } s) => $"{id}:{s}> ",
        };
    }

    /// <inheritdoc />
    public void Invoke(T value, ISinkContext context)
    {
        lock (_writer)
        {
            _writer.WriteLine(_prefix + value);
        }
    }

    /// <inheritdoc />
    public void Close() => _writer.Flush();
}
