namespace Rivulet.Cli.Demo;

/// <summary>
/// Where the demo reports. On a terminal the status is one line redrawn in place, with events
/// printed above it; when the output is a file or pipe (CI logs) the status is a plain line
/// every few seconds, so the log stays readable and short.
/// </summary>
internal sealed class DemoConsole(TextWriter output, bool isTerminal)
{
    private static readonly TimeSpan LogStatusInterval = TimeSpan.FromSeconds(5);

    private readonly object _gate = new();
    private string? _status;
    private DateTime _lastLoggedStatus = DateTime.MinValue;

    public static DemoConsole ForStandardOutput() => new(Console.Out, !Console.IsOutputRedirected);

    /// <summary>Something that happened (a kill, a restart, a message of the job): always printed.</summary>
    public void Event(string line)
    {
        lock (_gate)
        {
            ClearStatus();
            output.WriteLine(line);
            DrawStatus();
        }
    }

    public void Status(string line, bool force = false)
    {
        lock (_gate)
        {
            if (isTerminal)
            {
                _status = line;
                ClearStatus();
                DrawStatus();
            }
            else if (force || DateTime.UtcNow - _lastLoggedStatus >= LogStatusInterval)
            {
                _lastLoggedStatus = DateTime.UtcNow;
                output.WriteLine(line);
            }

            output.Flush();
        }
    }

    /// <summary>Ends the live status: its last state stays as an ordinary line.</summary>
    public void EndStatus()
    {
        lock (_gate)
        {
            if (isTerminal && _status is not null)
            {
                ClearStatus();
                output.WriteLine(_status);
                _status = null;
            }

            output.Flush();
        }
    }

    private void ClearStatus()
    {
        if (isTerminal && _status is not null)
        {
            output.Write("\r\u001b[2K");
        }
    }

    private void DrawStatus()
    {
        if (isTerminal && _status is not null)
        {
            // A line longer than the terminal wraps, and then the redraw cannot erase it.
            var width = Console.WindowWidth - 1;
            output.Write(width > 0 && _status.Length > width ? _status[..width] : _status);
        }
    }
}
