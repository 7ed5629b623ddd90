using System.Diagnostics;

namespace Rivulet.Cli.Demo;

/// <summary>
/// One run of the demo job as a child process of this CLI (<c>rivulet demo-job</c>), so chaos can
/// kill it for real. It reports <see cref="JobProgress"/> lines; every other line it writes goes
/// to the output callback. Its standard input is held open: closing it stops the job
/// gracefully, and the job also stops when this process dies.
/// </summary>
internal sealed class DemoJobProcess : IDisposable
{
    private const string ResumePrefix = "demo-job started (resumes from checkpoint ";

    private readonly Process _process;
    private readonly Action<string> _onOutput;
    private readonly Stopwatch _uptime = Stopwatch.StartNew();
    private volatile JobProgress _progress = JobProgress.None;

    private DemoJobProcess(Process process, Action<string> onOutput)
    {
        _process = process;
        _onOutput = onOutput;
        _process.OutputDataReceived += (_, e) => Receive(e.Data);
        _process.ErrorDataReceived += (_, e) => Receive(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public int Id => _process.Id;

    public TimeSpan Uptime => _uptime.Elapsed;

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    /// <summary>The latest progress line of this process (zeros before the first).</summary>
    public JobProgress Progress => _progress;

    /// <summary>The checkpoint it restored ("none" on a fresh start), once it said so.</summary>
    public string? ResumedFrom { get; private set; }

    /// <summary>Starts <c>rivulet demo-job</c> with these arguments, with the same host and CLI assembly as this process.</summary>
    public static DemoJobProcess Start(IEnumerable<string> arguments, Action<string> onOutput)
    {
        var host = Environment.ProcessPath ?? throw new InvalidOperationException("The path of this process is unknown; cannot start the job process.");
        var start = new ProcessStartInfo(host)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (Path.GetFileNameWithoutExtension(host) == "dotnet")
        {
            // Run as 'dotnet rivulet.dll': the child needs the assembly; as an apphost it is implied.
            start.ArgumentList.Add(typeof(DemoJobProcess).Assembly.Location);
        }

        start.ArgumentList.Add("demo-job");
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        return new DemoJobProcess(Process.Start(start) ?? throw new InvalidOperationException("Could not start the demo job process."), onOutput);
    }

    /// <summary>SIGKILL: the job gets no chance to clean up, as in a machine crash.</summary>
    public void Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        _process.WaitForExit();
    }

    /// <summary>Stops the job gracefully (end of its standard input); kills it if it does not exit within <paramref name="grace"/>.</summary>
    public async Task StopAsync(TimeSpan grace)
    {
        if (!_process.HasExited)
        {
            try
            {
                _process.StandardInput.Close();
            }
            catch (IOException)
            {
                // It is exiting already.
            }

            using var timeout = new CancellationTokenSource(grace);
            try
            {
                await _process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                _onOutput($"did not stop within {grace.TotalSeconds:0} s; killing it");
                Kill();
            }
        }

        // Drains the output readers, so the last progress line is in.
        await _process.WaitForExitAsync();
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            Kill();
        }

        _process.Dispose();
    }

    private void Receive(string? line)
    {
        if (string.IsNullOrWhiteSpace(line))
        {
            return;
        }

        if (JobProgress.TryParse(line) is { } progress)
        {
            _progress = progress;
            return;
        }

        if (line.StartsWith(ResumePrefix, StringComparison.Ordinal))
        {
            ResumedFrom = line[ResumePrefix.Length..].TrimEnd(')');
        }

        _onOutput(line);
    }
}
