using System.Diagnostics;

namespace Rivulet.Testing.Kafka.Tests;

/// <summary><c>rivulet test-broker</c> as a user runs it: a child process, driven through stdin.</summary>
public sealed class TestBrokerCommandTests
{
    [Fact]
    public async Task Serves_until_SIGTERM_and_obeys_control_commands_on_stdin()
    {
        var bootstrapFile = Path.Combine(Path.GetTempPath(), $"rivulet-bootstrap-{Guid.NewGuid():N}");
        using var process = StartCli($"test-broker --brokers 2 --bootstrap-file {bootstrapFile}");
        var lines = new LineReader(process.StandardOutput);
        try
        {
            var bootstrap = await lines.NextAsync();
            Assert.Equal(2, bootstrap.Split(',').Length);
            Assert.Equal(bootstrap, (await File.ReadAllTextAsync(bootstrapFile, TestContext.Current.CancellationToken)).Trim());

            var (exit, output, error) = await Kcat.RunAsync($"-b {bootstrap} -L");
            Assert.True(exit == 0, error);
            Assert.Contains("2 brokers:", output);

            await process.StandardInput.WriteLineAsync("create-topic ctl-topic 7");
            Assert.StartsWith("ok created ctl-topic", await lines.NextAsync());
            (exit, output, error) = await Kcat.RunAsync($"-b {bootstrap} -L -t ctl-topic");
            Assert.True(exit == 0, error);
            Assert.Contains("topic \"ctl-topic\" with 7 partitions", output);

            await process.StandardInput.WriteLineAsync("inject-errors Metadata 999999 nonsense");
            Assert.StartsWith("error: unknown error 'nonsense'", await lines.NextAsync());

            await process.StandardInput.WriteLineAsync("broker-down 2");
            Assert.Equal("ok broker 2 down", await lines.NextAsync());
            await process.StandardInput.WriteLineAsync("broker-up 2");
            Assert.Equal("ok broker 2 up", await lines.NextAsync());

            Assert.Equal(0, Posix.Kill(process.Id, Posix.SigTerm));
            using var exitDeadline = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            await process.WaitForExitAsync(exitDeadline.Token);
            Assert.Equal(0, process.ExitCode);
            Assert.False(File.Exists(bootstrapFile), "the bootstrap file should be removed when the broker stops");
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
    }

    [Fact]
    public async Task Quit_on_stdin_stops_the_broker()
    {
        using var process = StartCli("test-broker --brokers 1 --topic pre:3");
        var lines = new LineReader(process.StandardOutput);
        var bootstrap = await lines.NextAsync();
        using (var admin = KafkaClients.Admin(bootstrap))
        {
            var metadata = admin.GetMetadata("pre", TimeSpan.FromSeconds(10));
            Assert.Equal(3, Assert.Single(metadata.Topics).Partitions.Count);
        }

        await process.StandardInput.WriteLineAsync("quit");
        using var exitDeadline = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await process.WaitForExitAsync(exitDeadline.Token);
        Assert.Equal(0, process.ExitCode);
    }

    private static Process StartCli(string arguments)
    {
        var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Release" : "Debug";
        var repo = RepositoryRoot();
        var cli = Path.Combine(repo, "src", "Rivulet.Cli", "bin", configuration, "net10.0", "rivulet.dll");
        Assert.True(File.Exists(cli), $"the CLI is not built at {cli}");
        var start = new ProcessStartInfo("dotnet", $"{cli} {arguments}")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        return Process.Start(start) ?? throw new InvalidOperationException("could not start the CLI");
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Rivulet.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("repository root not found above " + AppContext.BaseDirectory);
    }

    private sealed class LineReader(StreamReader reader)
    {
        public async Task<string> NextAsync()
        {
            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            var line = await reader.ReadLineAsync(deadline.Token);
            return line ?? throw new EndOfStreamException("the CLI closed its output");
        }
    }
}
