using Rivulet.Core.Api.Functions;

namespace Rivulet.Cluster.TestJob;

/// <summary>Appends every record as a line to a file per subtask and process (optionally slowly); prints how many it wrote.</summary>
internal sealed class LineFileSink(string directory, TimeSpan delay) : ISinkFunction<string>, IRichFunction
{
    private StreamWriter? _writer;
    private int _subtask;
    private long _written;
    private long _lastReport;

    public void Open(IRuntimeContext context)
    {
        _subtask = context.SubtaskIndex;
        Directory.CreateDirectory(directory);
        _writer = new StreamWriter(Path.Combine(directory, $"lines-{_subtask}-{Environment.ProcessId}-{context.AttemptNumber}.txt"), append: true);
    }

    public void Close()
    {
        _writer?.Dispose();
        Console.WriteLine($"PROCESSED {_subtask} {_written}");
    }

    public void Invoke(string value, ISinkContext context)
    {
        if (delay > TimeSpan.Zero)
        {
            Thread.Sleep(delay);
        }

        _writer!.WriteLine(value);
        _written++;
        if (Environment.TickCount64 - _lastReport >= 500)
        {
            _lastReport = Environment.TickCount64;
            _writer.Flush();
            Console.WriteLine($"PROCESSED {_subtask} {_written}");
        }
    }
}
