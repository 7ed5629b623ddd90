using System.CommandLine;
using System.Globalization;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;
using Rivulet.Cluster;

namespace Rivulet.Cli.Demo;

/// <summary>
/// <c>rivulet demo-job</c>: runs the demo job in this process until SIGTERM, Ctrl+C or (with
/// <c>--stdin-control</c>) the end of standard input — the process <c>rivulet demo</c> and the
/// crash tests kill with SIGKILL and start again. With <c>--rivulet-role …</c> (and the other
/// <c>--rivulet-*</c> arguments of <see cref="ClusterSettings.FromCommandLine"/>) it is one
/// process of a cluster running the demo job instead: its JobManager or one of its TaskManagers.
/// </summary>
internal static class DemoJobCommand
{
    private const string JobName = "rivulet-demo";

    public static Command Create()
    {
        var bootstrap = new Option<string>("--bootstrap-servers") { Required = true };
        var checkpoints = new Option<string>("--checkpoint-dir") { Required = true };
        var parallelism = new Option<int>("--parallelism") { DefaultValueFactory = _ => 2 };
        var interval = new Option<int>("--checkpoint-interval") { DefaultValueFactory = _ => 1000 };
        var semantic = new Option<string>("--semantic") { DefaultValueFactory = _ => "exactly-once" };
        var input = new Option<string>("--input-topic") { DefaultValueFactory = _ => DemoSettings.InputTopic };
        var output = new Option<string>("--output-topic") { DefaultValueFactory = _ => DemoSettings.OutputTopic };
        var group = new Option<string>("--group") { DefaultValueFactory = _ => "rivulet-demo" };
        var startOffsets = new Option<string?>("--start-offsets") { Description = "PARTITION=OFFSET,… of the input on a fresh start (default: group offsets, else earliest)" };
        var progress = new Option<int>("--progress-interval") { Description = "Write a 'progress …' line every this many ms (0 = never)", DefaultValueFactory = _ => 0 };
        var transactionTimeout = new Option<int>("--transaction-timeout") { Description = "The sink's transaction.timeout.ms", DefaultValueFactory = _ => 120_000 };
        var stdinControl = new Option<bool>("--stdin-control") { Description = "Stop gracefully on 'stop' or the end of standard input (so the job never outlives its parent)" };
        var command = new Command("demo-job", "Run the demo job in this process (used by 'rivulet demo' and the crash tests)")
        {
            bootstrap, checkpoints, parallelism, interval, semantic, input, output, group, startOffsets, progress, transactionTimeout, stdinControl,
        };
        command.Hidden = true;
        // The --rivulet-* arguments are the cluster's (ClusterSettings reads them); anything else unknown is refused below.
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction(async (result, ct) =>
        {
            var cluster = ClusterArguments(result.UnmatchedTokens);
            var settings = new DemoSettings
            {
                BootstrapServers = result.GetValue(bootstrap)!,
                CheckpointDirectory = result.GetValue(checkpoints)!,
                Parallelism = result.GetValue(parallelism),
                CheckpointIntervalMs = result.GetValue(interval),
                Semantic = SemanticArgument.Parse(result.GetValue(semantic)!),
                InputTopicName = result.GetValue(input)!,
                OutputTopicName = result.GetValue(output)!,
                GroupId = result.GetValue(group)!,
                StartOffsets = result.GetValue(startOffsets) is { } offsets ? PartitionOffsetsArgument.Parse(offsets, "--start-offsets") : null,
                TransactionTimeoutMs = result.GetValue(transactionTimeout),
            };
            using var loggerFactory = LoggerFactory.Create(b => b.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Information));
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
            using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c =>
            {
                c.Cancel = true;
                stop.Cancel();
            });
            if (result.GetValue(stdinControl))
            {
                _ = Task.Run(() => StopAtEndOfInput(stop), CancellationToken.None);
            }

            var resumeFrom = new Core.Checkpointing.CheckpointStorage(settings.CheckpointDirectory).FindLatestCompleted()?.CheckpointId.ToString(CultureInfo.InvariantCulture) ?? "none";
            var env = DemoPipeline.Build(settings, loggerFactory);
            var progressInterval = TimeSpan.FromMilliseconds(result.GetValue(progress));
            if (cluster is not null)
            {
                return await RunOnClusterAsync(env, ClusterSettings.FromCommandLine(cluster), resumeFrom, progressInterval, stop.Token);
            }

            var job = env.Start(JobName);
            Console.WriteLine($"demo-job started (resumes from checkpoint {resumeFrom})");
            await using var reporter = progressInterval > TimeSpan.Zero ? new JobProgressReporter(() => job, Console.Out, progressInterval) : null;
            await using (stop.Token.Register(() => _ = job.CancelAsync()))
            {
                try
                {
                    await job.Completion;
                }
                catch (OperationCanceledException)
                {
                }
            }

            return 0;
        });
        return command;
    }

    /// <summary>The cluster's arguments among those the command does not know; null when there are none (a job in this process alone).</summary>
    /// <exception cref="ArgumentException">An unknown argument that is not a cluster one.</exception>
    private static List<string>? ClusterArguments(IReadOnlyList<string> unmatched)
    {
        for (var i = 0; i < unmatched.Count; i += 2)
        {
            if (!unmatched[i].StartsWith("--rivulet-", StringComparison.Ordinal))
            {
                throw new ArgumentException($"Unknown argument '{unmatched[i]}' for demo-job (its own options, or the cluster's --rivulet-* arguments).");
            }
        }

        return unmatched.Count == 0 ? null : [.. unmatched];
    }

    /// <summary>This process's part of a cluster running the demo job, until the job ends or <paramref name="stop"/>.</summary>
    private static async Task<int> RunOnClusterAsync(Core.Api.StreamExecutionEnvironment env, ClusterSettings settings, string resumeFrom, TimeSpan progressInterval,
        CancellationToken stop)
    {
        var process = env.StartOnCluster(JobName, settings);
        await using (process)
        {
            // The JobManager's line is the one a single job process writes, so the parent reads the restored checkpoint alike.
            Console.WriteLine(settings.Role == ClusterRole.JobManager
                ? $"demo-job started (resumes from checkpoint {resumeFrom})"
                : $"demo-job started as a TaskManager ({settings.Slots} slot(s), data port {process.DataPort.ToString(CultureInfo.InvariantCulture)})");
            Core.Api.JobClient? Client() => process.Job is { IsCompletedSuccessfully: true } job ? job.Result : null;
            await using var reporter = progressInterval > TimeSpan.Zero ? new JobProgressReporter(Client, Console.Out, progressInterval) : null;
            try
            {
                await process.Completion.WaitAsync(stop);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
            }
        }

        return 0;
    }

    private static void StopAtEndOfInput(CancellationTokenSource stop)
    {
        string? line;
        while ((line = Console.In.ReadLine()) is not null && line.Trim() != "stop")
        {
        }

        try
        {
            stop.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The job already ended on its own.
        }
    }
}
