using System.CommandLine;
using System.Globalization;
using Rivulet.Cli.Demo;

namespace Rivulet.Cli.Commands;

/// <summary>
/// <c>rivulet cluster</c>: a local cluster running the demo job — a JobManager and N TaskManager
/// processes on 127.0.0.1 — on the embedded test broker (or <c>--bootstrap-servers</c>), until
/// Ctrl+C or SIGTERM. Records written to the demo's input topic come out counted per key on its
/// output topic, exactly once; a TaskManager that exits is started again.
/// </summary>
internal static class ClusterCommand
{
    private const int TopicPartitions = 4;
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan StatusInterval = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(20);

    public static Command Create()
    {
        var taskManagers = new Option<int>("--taskmanagers") { Description = "TaskManager processes (1-16)", DefaultValueFactory = _ => 3 };
        var slots = new Option<int>("--slots") { Description = "Slots per TaskManager (1-64)", DefaultValueFactory = _ => 1 };
        var parallelism = new Option<int?>("--parallelism") { Description = "Parallelism of the job (default: all slots)" };
        var interval = new Option<int>("--checkpoint-interval") { Description = "Checkpoint interval in milliseconds", DefaultValueFactory = _ => 1_000 };
        var bootstrap = new Option<string?>("--bootstrap-servers") { Description = "An external Kafka cluster (host:port,…); nothing embedded starts then" };
        var command = new Command("cluster", "Start a JobManager and TaskManager processes on 127.0.0.1 running the demo job, until Ctrl+C")
        {
            taskManagers, slots, parallelism, interval, bootstrap,
        };
        command.SetAction((result, ct) =>
        {
            var count = result.GetValue(taskManagers);
            var perTaskManager = result.GetValue(slots);
            return RunAsync(count, perTaskManager, result.GetValue(parallelism) ?? count * perTaskManager, result.GetValue(interval), result.GetValue(bootstrap), ct);
        });
        return command;
    }

    private static async Task<int> RunAsync(int taskManagers, int slots, int parallelism, int checkpointIntervalMs, string? bootstrapServers, CancellationToken ct)
    {
        var problems = new List<string>();
        if (taskManagers is < 1 or > 16)
        {
            problems.Add($"--taskmanagers must be from 1 to 16 (got {taskManagers}).");
        }

        if (slots is < 1 or > 64)
        {
            problems.Add($"--slots must be from 1 to 64 (got {slots}).");
        }

        if (parallelism < 1 || parallelism > taskManagers * slots)
        {
            problems.Add($"--parallelism must be from 1 to the cluster's {taskManagers * slots} slots (got {parallelism}).");
        }

        if (checkpointIntervalMs < 10)
        {
            problems.Add($"--checkpoint-interval must be at least 10 ms (got {checkpointIntervalMs}).");
        }

        if (problems.Count > 0)
        {
            problems.ForEach(Console.Error.WriteLine);
            return CliExitCodes.BadInput;
        }

        // Ctrl+C and SIGTERM cancel ct (the parser's handler, with Program's graceful stop limit).
        var console = DemoConsole.ForStandardOutput();
        using var broker = bootstrapServers is { } servers ? DemoBroker.External(servers) : DemoBroker.Embedded(3);
        await broker.EnsureTopicAsync(DemoSettings.InputTopic, TopicPartitions);
        await broker.EnsureTopicAsync(DemoSettings.OutputTopic, TopicPartitions);
        var checkpoints = Directory.CreateTempSubdirectory("rivulet-cluster-");
        try
        {
            console.Event($"broker: {broker.Description}");
            console.Event($"checkpoints: {checkpoints.FullName}");
            console.Event($"input: write records with a key and a number, e.g. echo 'k1:1' | kcat -b {broker.BootstrapServers} -P -t {DemoSettings.InputTopic} -K:");
            console.Event($"output: kcat -b {broker.BootstrapServers} -C -t {DemoSettings.OutputTopic} -X isolation.level=read_committed -K: -f '%k %s\\n'");
            string[] job =
            [
                "--bootstrap-servers", broker.BootstrapServers,
                "--checkpoint-dir", checkpoints.FullName,
                "--parallelism", Text(parallelism),
                "--checkpoint-interval", Text(checkpointIntervalMs),
                "--group", "rivulet-cluster",
                "--progress-interval", "250",
                "--stdin-control",
            ];
            using var cluster = new DemoClusterSupervisor(job, taskManagers, slots, killPolicy: null, KillMode.AfterCheckpoint, console);
            cluster.Start();
            var failure = await SuperviseAsync(cluster, console, ct);
            console.EndStatus();
            await cluster.StopAsync(StopGrace);
            console.Event(failure is null ? "cluster: stopped" : $"cluster: {failure}");
            return failure is null ? CliExitCodes.Success : CliExitCodes.Failed;
        }
        finally
        {
            checkpoints.Delete(recursive: true);
        }
    }

    /// <summary>Keeps the cluster up until <paramref name="stop"/>; returns why it could not, if it could not.</summary>
    private static async Task<string?> SuperviseAsync(DemoClusterSupervisor cluster, DemoConsole console, CancellationToken stop)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var nextStatus = TimeSpan.Zero;
        var reported = (Checkpoints: 0L, Restarts: 0);
        while (!stop.IsCancellationRequested)
        {
            var now = clock.Elapsed;
            if (cluster.Supervise(now) is { } failure)
            {
                return failure;
            }

            var (checkpoints, restarts) = (cluster.CheckpointsCompleted, cluster.Restarts);
            if (reported.Checkpoints == 0 && checkpoints > 0)
            {
                console.Event($"cluster: the job completed its first checkpoint ({cluster.Processes})");
            }

            if (restarts != reported.Restarts)
            {
                console.Event($"cluster: the job restarted from its latest checkpoint ({restarts} restarts)");
            }

            reported = (checkpoints, restarts);
            if (now >= nextStatus)
            {
                nextStatus = now + StatusInterval;
                console.Status(string.Create(CultureInfo.InvariantCulture,
                    $"[{now.TotalSeconds,4:0}s] {cluster.Processes} | records read {cluster.RecordsRead:N0} | checkpoints {checkpoints:N0} | restarts {restarts} | Ctrl+C stops"));
            }

            try
            {
                await Task.Delay(Tick, stop);
            }
            catch (OperationCanceledException)
            {
            }
        }

        return null;
    }

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);
}
