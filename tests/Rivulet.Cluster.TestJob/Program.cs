using Microsoft.Extensions.Logging;
using Rivulet.Cluster;
using Rivulet.Cluster.TestJob;
using Rivulet.Core.Api;

// The cluster tests' job: numbers -> KeyBy(number % keys) -> running count per key -> one line per
// record into files (so records cross between TaskManagers at the KeyBy). Own arguments: see
// Options; the --rivulet-* arguments say the process's role.
var options = Options.Parse(args);
using var logging = LoggerFactory.Create(builder => builder
    .AddSimpleConsole(console =>
    {
        console.SingleLine = true;
        console.TimestampFormat = "HH:mm:ss.fff ";
    })
    .SetMinimumLevel(LogLevel.Information));
var env = StreamExecutionEnvironment.GetExecutionEnvironment(logging).SetParallelism(options.Parallelism);
if (options.CheckpointDirectory is { } checkpoints)
{
    env.EnableCheckpointing(TimeSpan.FromMilliseconds(options.CheckpointIntervalMs));
    env.CheckpointConfig.CheckpointDirectory = checkpoints;
    env.SetResumeFromLatestCheckpoint();
}

if (options.Restore is { } restore)
{
    env.SetStateRestorePath(restore);
}

env.AddSource(new NumberSource(options.Records, options.PerSecond)).Uid("numbers")
    .KeyBy(number => number % options.Keys)
    .Process(new RunningCount()).Uid(options.Variant is null ? "count" : $"count-{options.Variant}")
    .AddSink(new LineFileSink(options.Out, options.SinkDelay)).Uid("lines");
try
{
    var process = env.StartOnCluster("cluster-test", ClusterSettings.FromCommandLine(args));
    await using (process)
    {
        if (process.Job is { } started && options.SavepointAfter is { } after)
        {
            var job = await started;
            // From the job's first completed checkpoint: the TaskManagers may join long after the JobManager started.
            while (job.LastCompletedCheckpoint is null)
            {
                await Task.Delay(50);
            }

            await Task.Delay(after);
            var savepoint = await job.TriggerSavepointAsync(options.SavepointDirectory!);
            Console.WriteLine($"SAVEPOINT {savepoint.Directory}");
            await job.CancelAsync();
        }

        await process.Completion;
    }

    Console.WriteLine("EXIT ok");
    return 0;
}
catch (OperationCanceledException)
{
    Console.WriteLine("EXIT cancelled");
    return 0;
}
catch (Exception e)
{
    Console.WriteLine($"EXIT failed: {e.Message}");
    return 1;
}
