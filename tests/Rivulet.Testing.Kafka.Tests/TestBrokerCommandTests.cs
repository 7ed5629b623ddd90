using System.Diagnostics;
using Confluent.Kafka;

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
    public async Task Control_commands_change_what_clients_of_the_running_broker_see()
    {
        using var process = StartCli("test-broker --brokers 1");
        var lines = new LineReader(process.StandardOutput);
        try
        {
            var bootstrap = await lines.NextAsync();
            await process.StandardInput.WriteLineAsync("create-topic effects 1");
            Assert.StartsWith("ok created effects", await lines.NextAsync());
            using var producer = KafkaClients.Producer(bootstrap, c => c.MessageTimeoutMs = 20_000);
            Task<DeliveryResult<string, string>> Send(string value) =>
                producer.ProduceAsync("effects", new Message<string, string> { Key = "k", Value = value }, TestContext.Current.CancellationToken);

            // inject-errors: the next Produce request fails with the injected (non-retriable) error.
            await process.StandardInput.WriteLineAsync("inject-errors Produce InvalidRecord");
            Assert.Equal("ok 1 error(s) queued for Produce", await lines.NextAsync());
            var refused = await Assert.ThrowsAsync<ProduceException<string, string>>(() => Send("refused"));
            Assert.Equal(ErrorCode.InvalidRecord, refused.Error.Code);
            Assert.Equal(0, (await Send("accepted")).Offset.Value);

            // clear-errors: queued errors that were not used yet are dropped.
            await process.StandardInput.WriteLineAsync("inject-errors 0 87 87");
            Assert.Equal("ok 2 error(s) queued for Produce", await lines.NextAsync());
            await process.StandardInput.WriteLineAsync("clear-errors Produce");
            Assert.Equal("ok", await lines.NextAsync());
            Assert.Equal(1, (await Send("after-clear")).Offset.Value);

            // broker-down: nothing is delivered until broker-up.
            await process.StandardInput.WriteLineAsync("broker-down 1");
            Assert.Equal("ok broker 1 down", await lines.NextAsync());
            var whileDown = Send("while-down");
            Assert.Equal(1, producer.Flush(TimeSpan.FromSeconds(1)));
            Assert.False(whileDown.IsCompleted);
            await process.StandardInput.WriteLineAsync("broker-up 1");
            Assert.Equal("ok broker 1 up", await lines.NextAsync());
            Assert.Equal(2, (await whileDown.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken)).Offset.Value);

            // transaction-max-timeout: a longer transaction.timeout.ms is refused at InitTransactions.
            await process.StandardInput.WriteLineAsync("transaction-max-timeout 30000");
            Assert.Equal("ok transaction.max.timeout.ms=30000", await lines.NextAsync());
            using var transactional = KafkaClients.Producer(bootstrap, c =>
            {
                c.TransactionalId = "ctl-" + Guid.NewGuid().ToString("N");
                c.TransactionTimeoutMs = 60_000;
            });
            var tooLong = Assert.ThrowsAny<KafkaException>(() => transactional.InitTransactions(TimeSpan.FromSeconds(20)));
            Assert.Equal(ErrorCode.InvalidTransactionTimeout, tooLong.Error.Code);

            await process.StandardInput.WriteLineAsync("quit");
            using var exitDeadline = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            await process.WaitForExitAsync(exitDeadline.Token);
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
