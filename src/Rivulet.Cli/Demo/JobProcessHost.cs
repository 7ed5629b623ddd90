using System.Diagnostics;
using System.Reflection;

namespace Rivulet.Cli.Demo;

/// <summary>Runs the demo job as a child process of this CLI, so chaos can kill it for real (SIGKILL).</summary>
internal sealed class JobProcessHost(string arguments, TextWriter log) : IDisposable
{
    private Process? _process;

    public int Starts { get; private set; }

    public int Kills { get; private set; }

    public bool IsRunning => _process is { HasExited: false };

    public void Start()
    {
        var entry = Assembly.GetEntryAssembly()!.Location;
        var host = Environment.ProcessPath!;
        var start = Path.GetFileNameWithoutExtension(host) == "dotnet"
            ? new ProcessStartInfo(host, $"\"{entry}\" demo-job {arguments}")
            : new ProcessStartInfo(host, $"demo-job {arguments}");
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.UseShellExecute = false;
        _process = Process.Start(start) ?? throw new InvalidOperationException("could not start the demo job process");
        _process.OutputDataReceived += (_, e) => Forward(e.Data);
        _process.ErrorDataReceived += (_, e) => Forward(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        Starts++;
    }

    /// <summary>SIGKILL: the job gets no chance to clean up, as in a machine crash.</summary>
    public void Kill()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
            Kills++;
        }
    }

    public void Stop()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }
    }

    public void Dispose()
    {
        Stop();
        _process?.Dispose();
    }

    private void Forward(string? line)
    {
        if (!string.IsNullOrWhiteSpace(line))
        {
            lock (log)
            {
                log.WriteLine($"  [job] {line}");
            }
        }
    }
}
