using System.CommandLine;
using System.Runtime.InteropServices;
using Rivulet.Testing.Kafka;

namespace Rivulet.Cli.Commands;

/// <summary><c>rivulet test-broker</c>: serves the embedded Kafka test broker until stopped.</summary>
internal static class TestBrokerCommand
{
    public static Command Create()
    {
        var brokers = new Option<int>("--brokers") { Description = "Number of brokers", DefaultValueFactory = _ => 3 };
        var bootstrapFile = new Option<FileInfo?>("--bootstrap-file") { Description = "Also write the bootstrap address to this file" };
        var topics = new Option<string[]>("--topic")
        {
            Description = "Create a topic at start, as NAME:PARTITIONS (repeatable)",
            AllowMultipleArgumentsPerToken = false,
        };
        var command = new Command("test-broker", "Serve the Kafka test broker (patched librdkafka mock cluster) on 127.0.0.1 until Ctrl+C, SIGTERM or 'quit' on standard input")
        {
            brokers,
            bootstrapFile,
            topics,
        };
        command.SetAction((result, ct) => RunAsync(
            result.GetValue(brokers), result.GetValue(bootstrapFile), result.GetValue(topics) ?? [], ct));
        return command;
    }

    private static async Task<int> RunAsync(int brokers, FileInfo? bootstrapFile, string[] topics, CancellationToken ct)
    {
        if (brokers < 1)
        {
            await Console.Error.WriteLineAsync("--brokers must be at least 1");
            return 2;
        }

        using var cluster = KafkaTestCluster.Start(brokers);
        var control = new TestBrokerControl(cluster);
        foreach (var topic in topics)
        {
            var parts = topic.Split(':');
            var (reply, _) = control.Execute(parts.Length == 2 ? $"create-topic {parts[0]} {parts[1]}" : $"create-topic {topic}");
            if (reply.StartsWith("error", StringComparison.Ordinal))
            {
                await Console.Error.WriteLineAsync($"--topic {topic}: {reply}");
                return 2;
            }
        }

        if (bootstrapFile is not null)
        {
            // Written atomically so a script polling for the file never reads half an address,
            // and before the address is printed so a reader of either finds both.
            var temp = bootstrapFile.FullName + ".tmp";
            await File.WriteAllTextAsync(temp, cluster.BootstrapServers + "\n", ct);
            File.Move(temp, bootstrapFile.FullName, overwrite: true);
        }

        Console.WriteLine(cluster.BootstrapServers);

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
        {
            context.Cancel = true;
            stop.Cancel();
        });
        _ = Task.Run(() => ServeStandardInput(control, stop), CancellationToken.None);

        try
        {
            await Task.Delay(Timeout.Infinite, stop.Token);
        }
        catch (OperationCanceledException)
        {
        }

        if (bootstrapFile is not null)
        {
            bootstrapFile.Refresh();
            if (bootstrapFile.Exists)
            {
                bootstrapFile.Delete();
            }
        }

        return 0;
    }

    private static void ServeStandardInput(TestBrokerControl control, CancellationTokenSource stop)
    {
        // End of input (a closed or absent stdin, e.g. `&` in a shell) does not stop the broker:
        // only a signal or an explicit 'quit' does.
        string? line;
        while (!stop.IsCancellationRequested && (line = Console.In.ReadLine()) != null)
        {
            var (reply, quit) = control.Execute(line);
            if (reply.Length > 0)
            {
                Console.WriteLine(reply);
            }

            if (quit)
            {
                stop.Cancel();
            }
        }
    }
}
