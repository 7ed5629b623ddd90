using System.CommandLine;
using Rivulet.Cli.Chaos;

namespace Rivulet.Cli.Commands;

/// <summary>
/// <c>rivulet chaos</c>: the demo job under randomized faults for many rounds; exit 0 only when
/// every round held exactly-once (nothing lost, nothing duplicated, no transaction left open).
/// </summary>
internal static class ChaosCommand
{
    public static Command Create()
    {
        var defaults = new ChaosOptions();
        var rounds = new Option<int>("--rounds") { Description = "Rounds to run, each with its own topics and fault schedule", DefaultValueFactory = _ => defaults.Rounds };
        var seed = new Option<int?>("--seed") { Description = "Seed of every random choice (printed at the start; the same seed replays the same schedule)" };
        var bootstrap = new Option<string?>("--bootstrap-servers") { Description = "An external Kafka cluster (host:port,…): only job kills then" };
        var log = new Option<FileInfo?>("--log") { Description = "Where the rounds' detailed log goes (default: a file in the temp directory)" };
        var command = new Command("chaos", "Run the exactly-once demo job for many rounds under randomized kills, broker outages and injected errors, and check every round")
        {
            rounds, seed, bootstrap, log,
        };
        command.SetAction(async (result, ct) =>
        {
            var options = new ChaosOptions
            {
                Rounds = result.GetValue(rounds),
                Seed = result.GetValue(seed),
                BootstrapServers = result.GetValue(bootstrap),
                LogPath = result.GetValue(log)?.FullName,
            };
            var problems = options.Validate();
            if (problems.Count > 0)
            {
                foreach (var problem in problems)
                {
                    await Console.Error.WriteLineAsync(problem);
                }

                return CliExitCodes.BadInput;
            }

            var tally = await new ChaosRun(options, Console.Out).RunAsync(ct);
            return ct.IsCancellationRequested ? CliExitCodes.Interrupted : tally.Passed ? CliExitCodes.Success : CliExitCodes.Failed;
        });
        return command;
    }
}
