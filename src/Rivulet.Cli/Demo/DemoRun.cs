using System.Diagnostics;
using System.Globalization;
using Confluent.Kafka;

namespace Rivulet.Cli.Demo;

/// <summary>
/// <c>rivulet demo</c> from start to verdict: a broker with the demo's topics, the input
/// generator, the job in a child process (killed and restarted on schedule with
/// <c>--kill-every</c>), live progress, and a read_committed check of the output once every
/// input record went through.
/// </summary>
internal sealed class DemoRun(DemoOptions options, DemoConsole console)
{
    private const int EmbeddedBrokers = 3;
    private const int TopicPartitions = 4;
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan StatusInterval = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan JobProgressInterval = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(20);
    private static readonly TimeSpan OutputReadTimeout = TimeSpan.FromSeconds(60);

    private readonly Stopwatch _clock = new();

    /// <summary>After all input was consumed, how long the output may take to appear completely before the verdict is taken anyway.</summary>
    private TimeSpan SettleTimeout => TimeSpan.FromSeconds(30) + 2 * (options.KillEvery ?? TimeSpan.Zero);

    /// <summary>How long neither the consumed input nor the committed output may move before the run gives up.</summary>
    private TimeSpan StallTimeout => TimeSpan.FromSeconds(60) + 2 * (options.KillEvery ?? TimeSpan.Zero);

    public async Task<DemoSummary> RunAsync(CancellationToken cancellationToken)
    {
        _clock.Start();
        console.Event(Describe());
        using var broker = options.BootstrapServers is { } servers ? DemoBroker.External(servers) : DemoBroker.Embedded(EmbeddedBrokers);
        console.Event($"broker: {broker.Description}");
        var inputPartitions = await broker.EnsureTopicAsync(DemoSettings.InputTopic, TopicPartitions);
        var outputPartitions = await broker.EnsureTopicAsync(DemoSettings.OutputTopic, TopicPartitions);
        var inputStart = broker.EndOffsets(DemoSettings.InputTopic, inputPartitions);
        var outputStart = broker.EndOffsets(DemoSettings.OutputTopic, outputPartitions);
        console.Event($"topics: {DemoSettings.InputTopic} ({inputPartitions} partitions), {DemoSettings.OutputTopic} ({outputPartitions} partitions)");

        var checkpoints = Directory.CreateTempSubdirectory("rivulet-demo-");
        try
        {
            console.Event($"checkpoints: {checkpoints.FullName}");
            return await RunJobAsync(broker, inputStart, outputStart, checkpoints.FullName, cancellationToken);
        }
        finally
        {
            checkpoints.Delete(recursive: true);
        }
    }

    private async Task<DemoSummary> RunJobAsync(DemoBroker broker, IReadOnlyDictionary<int, long> inputStart, IReadOnlyDictionary<int, long> outputStart,
        string checkpointDirectory, CancellationToken cancellationToken)
    {
        var records = options.Records;
        var group = "rivulet-demo-" + Guid.NewGuid().ToString("N")[..8];
        using var writer = new DemoInputWriter(broker.BootstrapServers, DemoSettings.InputTopic);
        using var live = new DemoVerifier(broker.BootstrapServers, DemoSettings.OutputTopic, outputStart, records);
        using var probe = new ConsumerLagProbe(broker.BootstrapServers, DemoSettings.InputTopic, group, inputStart);
        using var job = new DemoJobSupervisor(JobArguments(broker, checkpointDirectory, group, inputStart), options.KillEvery, console);
        var completion = new DemoCompletion(records, SettleTimeout, StallTimeout);

        using var stopFollowing = new CancellationTokenSource();
        var following = Task.Run(() => Follow(live, stopFollowing.Token), CancellationToken.None);
        using var stopWriting = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var writing = Task.Run(() => writer.WriteAsync(0, records, options.Rate, stopWriting.Token), CancellationToken.None);
        job.Start();

        string? failure = null;
        TimeSpan? inputWrittenAt = null;
        InputProgress? input = null;
        var nextStatus = TimeSpan.Zero;
        var lastStatus = (At: TimeSpan.Zero, Read: 0L, Out: 0L);
        try
        {
            while (true)
            {
                var now = _clock.Elapsed;
                if (cancellationToken.IsCancellationRequested)
                {
                    failure = "interrupted";
                    break;
                }

                if (writing.IsCompleted && inputWrittenAt is null)
                {
                    if (writing.Exception is { } error)
                    {
                        failure = "writing the input failed: " + error.GetBaseException().Message;
                        break;
                    }

                    inputWrittenAt = now;
                    console.Event($"input: all {records:N0} records written after {now.TotalSeconds:0.0} s");
                }

                if (job.Supervise(now) is { } jobFailure)
                {
                    failure = jobFailure;
                    break;
                }

                if (now >= nextStatus)
                {
                    nextStatus = now + StatusInterval;
                    input = Measure(probe) ?? input;
                    completion.Observe(now, input, live.RecordsRead);
                    console.Status(Status(now, lastStatus, writer.Written, job, live, input).ToString());
                    lastStatus = (now, job.RecordsRead, live.RecordsRead);
                }

                if (completion.IsDone(now, inputWrittenAt is not null, input, live.Distinct))
                {
                    break;
                }

                if (completion.IsStalled(now))
                {
                    failure = $"no progress for {StallTimeout.TotalSeconds:0} s: the job consumed {input?.Consumed ?? 0:N0} of {writer.Written:N0} input records " +
                              $"and {live.RecordsRead:N0} output records are committed";
                    break;
                }

                try
                {
                    await Task.Delay(Tick, cancellationToken);
                }
                catch (OperationCanceledException)
                {
                }
            }

            await stopWriting.CancelAsync();
            await IgnoreFailure(writing);
            await job.StopAsync(StopGrace);
        }
        finally
        {
            await stopFollowing.CancelAsync();
            await following;
        }

        console.Status($"[{_clock.Elapsed.TotalSeconds,4:0}s] job stopped; reading the output with read_committed to check it", force: true);
        console.EndStatus();
        using var final = new DemoVerifier(broker.BootstrapServers, DemoSettings.OutputTopic, outputStart, records);
        if (!final.ReadToEnd(OutputReadTimeout))
        {
            failure ??= $"reading the output to its end took longer than {OutputReadTimeout.TotalSeconds:0} s";
        }

        var facts = new DemoRunFacts
        {
            Broker = broker.Description,
            RecordsWritten = writer.Written,
            CheckpointsCompleted = job.CheckpointsCompleted,
            LatestCheckpoint = job.LatestCheckpoint,
            KillTimes = job.KillTimes,
            Restarts = job.Restarts,
            InputWrittenAt = inputWrittenAt,
            Duration = _clock.Elapsed,
            Failure = failure,
        };
        return DemoSummary.Create(options, facts, final.Verdict());
    }

    private string[] JobArguments(DemoBroker broker, string checkpointDirectory, string group, IReadOnlyDictionary<int, long> inputStart) =>
    [
        "--bootstrap-servers", broker.BootstrapServers,
        "--checkpoint-dir", checkpointDirectory,
        "--parallelism", Text(options.Parallelism),
        "--checkpoint-interval", Text(options.CheckpointIntervalMs),
        "--semantic", SemanticArgument.Format(options.Semantic),
        "--group", group,
        "--start-offsets", PartitionOffsetsArgument.Format(inputStart),
        "--progress-interval", Text((long)JobProgressInterval.TotalMilliseconds),
        "--stdin-control",
    ];

    private DemoStatus Status(TimeSpan now, (TimeSpan At, long Read, long Out) previous, long written, DemoJobSupervisor job, DemoVerifier live, InputProgress? input)
    {
        var seconds = Math.Max(0.001, (now - previous.At).TotalSeconds);
        return new DemoStatus
        {
            Elapsed = now,
            Written = written,
            Records = options.Records,
            InPerSecond = (job.RecordsRead - previous.Read) / seconds,
            OutPerSecond = (live.RecordsRead - previous.Out) / seconds,
            CommittedOut = live.RecordsRead,
            CheckpointsCompleted = job.CheckpointsCompleted,
            Lag = input?.Lag,
            Kills = job.KillTimes.Count,
            Restarts = job.Restarts,
            JobRunning = job.IsRunning,
        };
    }

    private static InputProgress? Measure(ConsumerLagProbe probe)
    {
        try
        {
            return probe.Measure();
        }
        catch (KafkaException)
        {
            // A slow answer only delays the progress display; the next tick asks again.
            return null;
        }
    }

    private static void Follow(DemoVerifier verifier, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            try
            {
                verifier.Poll(TimeSpan.FromMilliseconds(200));
            }
            catch (ConsumeException)
            {
                // Only the live count waits; the verdict reads the output again from the start.
            }
        }
    }

    private static async Task IgnoreFailure(Task task)
    {
        try
        {
            await task;
        }
        catch (Exception)
        {
            // Reported where it was first seen.
        }
    }

    private string Describe()
    {
        var rate = options.Rate > 0 ? $"{options.Rate:N0} records/s" : "full speed";
        var chaos = options.KillEvery is { } every ? $", SIGKILL to the job every {every.TotalSeconds:0.#} s" : string.Empty;
        return $"rivulet demo: {options.Records:N0} records at {rate}; job with parallelism {options.Parallelism}, checkpoints every {options.CheckpointIntervalMs} ms, " +
               $"{SemanticArgument.Format(options.Semantic)}{chaos}";
    }

    private static string Text(long value) => value.ToString(CultureInfo.InvariantCulture);
}
