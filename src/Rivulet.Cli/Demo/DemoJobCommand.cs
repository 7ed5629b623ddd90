using System.CommandLine;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;
using Rivulet.Connectors.Kafka.Sink;

namespace Rivulet.Cli.Demo;

/// <summary>
/// <c>rivulet demo-job</c>: runs the demo job in this process until SIGTERM — the process the demo
/// (and the crash tests) kill with SIGKILL and start again.
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
        var command = new Command("demo-job", "Run the demo job in this process (used by 'rivulet demo' and the crash tests)")
        {
            bootstrap, checkpoints, parallelism, interval, semantic, input, output, group,
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
                Semantic = ParseSemantic(result.GetValue(semantic)!),
                InputTopicName = result.GetValue(input)!,
                OutputTopicName = result.GetValue(output)!,
                GroupId = result.GetValue(group)!,
            };
            using var loggerFactory = LoggerFactory.Create(b => b.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Warning));
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
            using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c =>
            {
                c.Cancel = true;
                stop.Cancel();
            });
            var resumeFrom = new Core.Checkpointing.CheckpointStorage(settings.CheckpointDirectory).FindLatestCompleted();
            var job = DemoPipeline.Build(settings, loggerFactory).Start("rivulet-demo");
            Console.WriteLine($"demo-job started (resumes from checkpoint {resumeFrom?.CheckpointId.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none"})");
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

    public static Semantic ParseSemantic(string value) => value.ToLowerInvariant() switch
    {
        "exactly-once" or "exactly_once" => Semantic.ExactlyOnce,
        "at-least-once" or "at_least_once" => Semantic.AtLeastOnce,
        "none" => Semantic.None,
        _ => throw new ArgumentException($"--semantic must be exactly-once, at-least-once or none, not '{value}'."),
    };
}
