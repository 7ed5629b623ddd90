using System.Diagnostics;

namespace Rivulet.Benchmarks.Cluster;

/// <summary>One process of the benchmark's cluster: this benchmark program in <see cref="ClusterBenchJob.Command"/> mode, its output collected.</summary>
internal sealed class BenchClusterProcess : IDisposable
{
    private readonly Process _process;
    private readonly Task<string> _output;
    private readonly Task<string> _error;

    public BenchClusterProcess(string arguments)
    {
        var start = new ProcessStartInfo("dotnet", $"\"{typeof(ClusterBenchJob).Assembly.Location}\" {ClusterBenchJob.Command} {arguments}")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        _process = Process.Start(start) ?? throw new InvalidOperationException("could not start a cluster process");
        _output = _process.StandardOutput.ReadToEndAsync();
        _error = _process.StandardError.ReadToEndAsync();
    }

    /// <summary>Waits for the exit; returns what the process printed. Fails (killing it) when it does not exit in time or exits with an error.</summary>
    public async Task<string> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            await _process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
            throw new TimeoutException($"a cluster process did not exit within {timeout.TotalSeconds:0} s:\n{await _output}\n{await _error}");
        }

        var output = await _output;
        if (_process.ExitCode != 0)
        {
            throw new InvalidOperationException($"a cluster process exited with {_process.ExitCode}:\n{output}\n{await _error}");
        }

        return output;
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        _process.Dispose();
    }
}
