using System.Diagnostics;
using System.Text;

namespace Rivulet.Tests.Shared;

/// <summary>
/// A program built next to the tests (the CLI, the samples) run as a child process: its output is
/// collected, and it can be killed with SIGKILL.
/// </summary>
internal sealed class ChildProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly StringBuilder _standardOutput = new();
    private readonly Thread[] _readers;

    private ChildProcess(Process process)
    {
        _process = process;
        // Threads of their own, not the thread pool's output events: when the test process's pool
        // is busy (the whole suite on two cores), an unread pipe fills up and the child blocks in
        // its logging — a job that seems to hang without saying why.
        _readers = [Drain(_process.StandardOutput, standardOutput: true), Drain(_process.StandardError, standardOutput: false)];
    }

    /// <summary>Standard output and error, interleaved as received.</summary>
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

    /// <summary>Standard output alone (what the program prints as its result).</summary>
    public string StandardOutput
    {
        get
        {
            lock (_output)
            {
                return _standardOutput.ToString();
            }
        }
    }

    public bool HasExited => _process.HasExited;

    /// <summary>The process's resident memory now (VmRSS), in MB.</summary>
    public long ResidentMegabytes()
    {
        var line = File.ReadLines($"/proc/{_process.Id}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture) / 1024;
    }

    public int ExitCode => _process.ExitCode;

    /// <summary>The CLI's hidden <c>demo-job</c> command: the demo job in a process of its own.</summary>
    public static ChildProcess DemoJob(string arguments, IReadOnlyDictionary<string, string>? environment = null) =>
        Start("rivulet.dll", $"demo-job {arguments}", environment);

    /// <summary>Runs <c>dotnet ASSEMBLY ARGUMENTS</c> for an assembly next to the tests.</summary>
    public static ChildProcess Start(string assembly, string arguments, IReadOnlyDictionary<string, string>? environment = null)
    {
        var path = Path.Combine(AppContext.BaseDirectory, assembly);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"{assembly} is not next to the tests (is its project referenced?)", path);
        }

        return StartProgram("dotnet", $"\"{path}\" {arguments}", workingDirectory: null, environment);
    }

    /// <summary>Runs any program (dotnet, kcat, a user's app) with its output collected.</summary>
    public static ChildProcess StartProgram(string fileName, string arguments, string? workingDirectory, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(fileName, arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? string.Empty,
        };
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        return new ChildProcess(Process.Start(start) ?? throw new InvalidOperationException($"could not start {fileName}"));
    }

    /// <summary>Waits for the exit; kills the process and fails when <paramref name="timeout"/> passes first.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            Kill();
            throw new TimeoutException($"The process did not exit within {timeout.TotalSeconds} s. Its output:\n{Output}");
        }

        // The output is complete once both pipes are read to their end.
        await Task.Run(() =>
        {
            foreach (var reader in _readers)
            {
                reader.Join();
            }
        });
        return _process.ExitCode;
    }

    /// <summary>SIGTERM: what a service manager or Kubernetes sends to stop a program gracefully.</summary>
    public void Terminate()
    {
        if (Kill(_process.Id, 15) != 0)
        {
            throw new InvalidOperationException($"kill -TERM {_process.Id} failed (errno {System.Runtime.InteropServices.Marshal.GetLastPInvokeError()})");
        }
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);

    /// <summary>SIGKILL: no shutdown code of the program runs.</summary>
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

    private Thread Drain(StreamReader reader, bool standardOutput)
    {
        var thread = new Thread(() =>
        {
            while (reader.ReadLine() is { } line)
            {
                Append(line, standardOutput);
            }
        })
        { IsBackground = true, Name = $"output of process {_process.Id}" };
        thread.Start();
        return thread;
    }

    private void Append(string? line, bool standardOutput)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
            if (standardOutput)
            {
                _standardOutput.AppendLine(line);
            }
        }
    }
}
