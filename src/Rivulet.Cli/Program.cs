using System.CommandLine;
using Rivulet.Cli.Commands;
using Rivulet.Connectors.Kafka.Native;

namespace Rivulet.Cli;

internal static class Program
{
    /// <summary>Prints the stack trace of a failure, not only its message.</summary>
    public static readonly Option<bool> Verbose = new("--verbose") { Description = "Print stack traces of failures", Recursive = true };

    /// <summary>How long a command may take to stop after Ctrl+C or SIGTERM before the process ends anyway.</summary>
    private static readonly TimeSpan GracefulStopLimit = TimeSpan.FromSeconds(60);

    private static async Task<int> Main(string[] args)
    {
        var root = new RootCommand("Rivulet: Flink-style stream processing with a Kafka connector, native to .NET.")
        {
            DemoCommand.Create(),
            ClusterCommand.Create(),
            ChaosCommand.Create(),
            TestBrokerCommand.Create(),
            Demo.DemoJobCommand.Create(),
            VersionCommand.Create(),
        };
        root.Options.Add(Verbose);
        var parsed = root.Parse(args);
        try
        {
            // Before any Kafka client exists: the one opt-in override of the native client.
            LibrdkafkaLoader.EnsureLoaded();
        }
        catch (DllNotFoundException e)
        {
            await Console.Error.WriteLineAsync($"rivulet: {e.Message}");
            return CliExitCodes.BadInput;
        }

        if (parsed.Errors.Count > 0 && parsed.Action is not System.CommandLine.Help.HelpAction)
        {
            foreach (var error in parsed.Errors)
            {
                await Console.Error.WriteLineAsync($"rivulet: {error.Message}");
            }

            await Console.Error.WriteLineAsync($"see 'rivulet {parsed.CommandResult.Command.Name} --help'");
            return CliExitCodes.BadInput;
        }

        try
        {
            // Ctrl+C and SIGTERM cancel the command's token; the command then stops gracefully (a cluster
            // stops its JobManager, then its TaskManagers), which may take longer than the parser's default 2 s.
            return await parsed.InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false, ProcessTerminationTimeout = GracefulStopLimit });
        }
        catch (Exception e)
        {
            return CliFailure.Report(parsed.CommandResult.Command.Name, e, parsed.GetValue(Verbose), Console.Error);
        }
    }
}
