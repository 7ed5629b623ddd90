using System.Diagnostics;

namespace Rivulet.Tests.Shared;

/// <summary>Runs kcat (Debian's build, on Debian's own librdkafka) as an independent Kafka client.</summary>
internal static class Kcat
{
    public static async Task<(int ExitCode, string Output, string Error)> RunAsync(string arguments, string? input = null, int timeoutSeconds = 30)
    {
        var start = new ProcessStartInfo("kcat", arguments)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(start) ?? throw new InvalidOperationException("kcat did not start; install it with apt-get install kcat");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (input != null)
        {
            await process.StandardInput.WriteAsync(input);
        }

        process.StandardInput.Close();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(timeoutSeconds));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"kcat {arguments} did not finish within {timeoutSeconds} s; stderr: {await error}");
        }

        return (process.ExitCode, await output, await error);
    }
}
