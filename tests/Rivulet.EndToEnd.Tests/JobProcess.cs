using System.Diagnostics;
using System.Text;

namespace Rivulet.EndToEnd.Tests;

/// <summary>The demo job as a child process (the CLI's demo-job command), to be killed with SIGKILL.</summary>
internal sealed class JobProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private JobProcess(Process process)
    {
        _process = process;
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public bool HasExited => _process.HasExited;

    public static JobProcess Start(string arguments, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo("dotnet", $"{CliPath()} demo-job {arguments}")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        return new JobProcess(Process.Start(start) ?? throw new InvalidOperationException("could not start the job process"));
    }

    /// <summary>SIGKILL: no shutdown code of the job runs.</summary>
    public void Kill()
    {
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            Kill();
        }

        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }
    }

    private static string CliPath()
    {
        // The CLI is built next to this test assembly (project reference).
        var path = Path.Combine(AppContext.BaseDirectory, "rivulet.dll");
        return File.Exists(path) ? path : throw new FileNotFoundException("rivulet.dll is not next to the tests", path);
    }
}
