using System.CommandLine;
using System.Globalization;
using Rivulet.Cli.Demo;

namespace Rivulet.Cli.Commands;

/// <summary>
/// <c>rivulet demo</c>: the main demo job (Kafka → keyed count → Kafka, exactly-once) on the
/// embedded test broker or a real cluster, optionally under repeated SIGKILLs, checked at the end.
/// Exit codes as <see cref="CliExitCodes"/>: 0 when the verdict holds, 1 when it does not, 2 for bad
/// options, 3 when the cluster cannot be reached, 130 when interrupted.
/// </summary>
internal static class DemoCommand
{

    public static Command Create()
    {
        var defaults = new DemoOptions();
        var records = new Option<long>("--records") { Description = "Input records N (i = 0 … N-1)", DefaultValueFactory = _ => defaults.Records };
        var rate = new Option<double>("--rate") { Description = "Input records per second (0 = unlimited)", DefaultValueFactory = _ => defaults.Rate };
        var parallelism = new Option<int?>("--parallelism") { Description = $"Parallelism of the job (default {defaults.Parallelism}; on a cluster one subtask per TaskManager)" };
        var cluster = new Option<int?>("--cluster")
        {
            Description = "Run the job on a local cluster: a JobManager and this many TaskManager processes on 127.0.0.1 (with --kill-every, a random TaskManager is killed)",
        };
        var interval = new Option<int>("--checkpoint-interval") { Description = "Checkpoint interval in milliseconds", DefaultValueFactory = _ => defaults.CheckpointIntervalMs };
        var semantic = new Option<string>("--semantic") { Description = "Sink semantic: exactly-once, at-least-once or none", DefaultValueFactory = _ => SemanticArgument.Format(defaults.Semantic) };
        semantic.AcceptOnlyFromAmong("exactly-once", "at-least-once", "none");
        var bootstrap = new Option<string?>("--bootstrap-servers") { Description = "An external Kafka cluster (host:port,…); nothing embedded starts then" };
        var killEvery = new Option<double?>("--kill-every") { Description = "Chaos: SIGKILL the job process about this many seconds (may be fractional) after each start, then restart it from its latest checkpoint" };
        var killMode = new Option<string>("--kill-mode")
        {
            Description = "after-checkpoint: kill S after the start, once the process completed a checkpoint (on a cluster: S after the job recovered from the previous kill); " +
                          "any: at a random moment 0.5·S-1.5·S after the start (on a cluster: after the previous kill), whatever it does",
            DefaultValueFactory = _ => "after-checkpoint",
        };
        killMode.AcceptOnlyFromAmong("after-checkpoint", "any");
        var summary = new Option<FileInfo?>("--summary-json") { Description = "Write the summary (records in/out, duplicates, missing, kills, restarts, verdict) to this JSON file" };
        var command = new Command("demo", "Run the main demo: Kafka → keyed count → Kafka with exactly-once, verified by a read_committed reader")
        {
            records, rate, parallelism, cluster, interval, semantic, bootstrap, killEvery, killMode, summary,
        };
        command.SetAction((result, ct) => RunAsync(new DemoOptions
        {
            Records = result.GetValue(records),
            Rate = result.GetValue(rate),
            Parallelism = result.GetValue(parallelism) ?? result.GetValue(cluster) ?? defaults.Parallelism,
            TaskManagers = result.GetValue(cluster),
            CheckpointIntervalMs = result.GetValue(interval),
            Semantic = SemanticArgument.Parse(result.GetValue(semantic)!),
            BootstrapServers = result.GetValue(bootstrap),
            KillEverySeconds = result.GetValue(killEvery),
            KillMode = result.GetValue(killMode) == "any" ? KillMode.Any : KillMode.AfterCheckpoint,
            SummaryJsonPath = result.GetValue(summary)?.FullName,
        }, ct));
        return command;
    }

    private static async Task<int> RunAsync(DemoOptions options, CancellationToken cancellationToken)
    {
        var problems = options.Validate();
        if (problems.Count > 0)
        {
            foreach (var problem in problems)
            {
                await Console.Error.WriteLineAsync(problem);
            }

            return CliExitCodes.BadInput;
        }

        var console = DemoConsole.ForStandardOutput();
        var summary = await new DemoRun(options, console).RunAsync(cancellationToken);
        foreach (var line in summary.Lines())
        {
            console.Event(line);
        }

        if (options.SummaryJsonPath is { } path)
        {
            summary.WriteJson(path);
            console.Event($"summary written to {path}");
        }

        return summary.Failure == "interrupted" ? CliExitCodes.Interrupted : summary.Passed ? CliExitCodes.Success : CliExitCodes.Failed;
    }
}
