using System.Net;
using System.Net.Sockets;
using Rivulet.Testing.Kafka;

namespace Rivulet.EndToEnd.Tests;

/// <summary>
/// The hosting sample as a service manager runs it: configured from appsettings.json and the
/// command line, healthy on /healthz, stopped with SIGTERM (a savepoint, exit code 0) and started
/// again from that savepoint, with the output exactly once as kcat reads it.
/// </summary>
public sealed class HostedJobSampleTests(KafkaTestClusterFixture broker) : IClassFixture<KafkaTestClusterFixture>, IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);
    private readonly string _state = Directory.CreateTempSubdirectory("rivulet-hosted-sample-").FullName;

    [Fact]
    public async Task SIGTERM_stops_the_job_with_a_savepoint_and_the_next_start_continues_from_it_exactly_once()
    {
        var input = KafkaTestClusterFixture.UniqueTopic("hosted-sample-in");
        var output = KafkaTestClusterFixture.UniqueTopic("hosted-sample-out");
        broker.Cluster.CreateTopic(input, 2);
        broker.Cluster.CreateTopic(output, 2);
        await Produce(input, Enumerable.Range(0, 100).Select(i => $"first-{i:D3}"));

        using (var service = Start(input, output, out var port))
        {
            await Wait.UntilAsync(() => Consume(output).Result.Count >= 100, Timeout, "the first 100 records in the output", service);
            using var http = new HttpClient();
            var health = await http.GetAsync($"http://127.0.0.1:{port}/healthz", TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.OK, health.StatusCode);
            Assert.Equal("Healthy", await health.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));

            service.Terminate();
            Assert.Equal(0, await service.WaitForExitAsync(Timeout));
            Assert.Contains("Job uppercase stopped with savepoint", service.Output);
        }

        var savepoint = Assert.Single(Directory.GetDirectories(Path.Combine(_state, "savepoints")));
        Assert.True(File.Exists(Path.Combine(savepoint, "_metadata")), $"{savepoint} has no _metadata");

        await Produce(input, Enumerable.Range(0, 50).Select(i => $"second-{i:D3}"));
        using (var service = Start(input, output, out _))
        {
            await Wait.UntilAsync(() => service.Output.Contains("restores savepoint", StringComparison.Ordinal), Timeout, "the restore of the savepoint", service);
            await Wait.UntilAsync(() => Consume(output).Result.Count >= 150, Timeout, "all 150 records in the output", service);
            service.Terminate();
            Assert.Equal(0, await service.WaitForExitAsync(Timeout));
        }

        var expected = Enumerable.Range(0, 100).Select(i => $"FIRST-{i:D3}").Concat(Enumerable.Range(0, 50).Select(i => $"SECOND-{i:D3}")).Order(StringComparer.Ordinal);
        Assert.Equal(expected, (await Consume(output)).Order(StringComparer.Ordinal));
    }

    public void Dispose() => Directory.Delete(_state, recursive: true);

    private ChildProcess Start(string input, string output, out int port)
    {
        port = FreePort();
        const string job = "--Rivulet:Jobs:uppercase";
        var arguments = string.Join(' ',
            $"--urls=http://127.0.0.1:{port}",
            $"{job}:Kafka:bootstrap.servers={broker.BootstrapServers}",
            $"{job}:CheckpointDirectory={Path.Combine(_state, "checkpoints")}",
            $"{job}:SavepointDirectory={Path.Combine(_state, "savepoints")}",
            $"{job}:Settings:InputTopic={input}",
            $"{job}:Settings:OutputTopic={output}");
        // The working directory is the sample's content root: its appsettings.json gives the rest.
        return ChildProcess.StartProgram("dotnet", $"\"{Path.Combine(AppContext.BaseDirectory, "HostedJob.dll")}\" {arguments}", AppContext.BaseDirectory);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private async Task Produce(string topic, IEnumerable<string> values)
    {
        var (exit, _, error) = await Kcat.RunAsync($"-b {broker.BootstrapServers} -P -t {topic}", string.Join('\n', values) + "\n");
        Assert.True(exit == 0, error);
    }

    private async Task<List<string>> Consume(string topic)
    {
        var (exit, consumed, error) = await Kcat.RunAsync($"-b {broker.BootstrapServers} -C -t {topic} -e -q -X isolation.level=read_committed -f %s\\n");
        Assert.True(exit == 0, error);
        return [.. consumed.Split('\n', StringSplitOptions.RemoveEmptyEntries)];
    }
}
