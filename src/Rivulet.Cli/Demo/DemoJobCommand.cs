using System.CommandLine;
using System.Globalization;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;

namespace Rivulet.Cli.Demo;

/// <summary>
/// <c>rivulet demo-job</c>: runs the demo job in this process until SIGTERM, Ctrl+C or (with
/// <c>--stdin-control</c>) the end of standard input — the process <c>rivulet demo</c> and the
/// crash tests kill with SIGKILL and start again.
/// </summary>
internal static class DemoJobCommand
{
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
        command.SetAction(async (result, ct) =>
        {
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

            var resumeFrom = new Core.Checkpointing.CheckpointStorage(settings.CheckpointDirectory).FindLatestCompleted();
            var job = DemoPipeline.Build(settings, loggerFactory).Start("rivulet-demo");
            Console.WriteLine($"demo-job started (resumes from checkpoint {resumeFrom?.CheckpointId.ToString(CultureInfo.InvariantCulture) ?? "none"})");
            var progressInterval = result.GetValue(progress);
            await using var reporter = progressInterval > 0 ? new JobProgressReporter(job, Console.Out, TimeSpan.FromMilliseconds(progressInterval)) : null;
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
