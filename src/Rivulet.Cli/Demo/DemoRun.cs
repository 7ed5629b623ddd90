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
    private InputProgress? _input;

    /// <summary>After all input was consumed, how long the output may take to appear completely before the verdict is taken anyway.</summary>
    private TimeSpan SettleTimeout => TimeSpan.FromSeconds(30) + 2 * (options.KillEvery ?? TimeSpan.Zero);

    /// <summary>How long neither the consumed input nor the committed output may move before the run gives up.</summary>
    private TimeSpan StallTimeout => TimeSpan.FromSeconds(60) + 2 * (options.KillEvery ?? TimeSpan.Zero);

    /// <summary>The demo as <c>rivulet demo</c> runs it: its own broker (or the external one), the demo topics, kills as the options say.</summary>
    public async Task<DemoSummary> RunAsync(CancellationToken cancellationToken)
    {
        using var broker = options.BootstrapServers is { } servers ? DemoBroker.External(servers) : DemoBroker.Embedded(EmbeddedBrokers);
        var random = new Random();
        return await RunOnAsync(broker, new DemoPlan
        {
            InputTopic = DemoSettings.InputTopic,
            OutputTopic = DemoSettings.OutputTopic,
            KillPolicy = options.KillEvery is not { } every ? null
                : options.KillMode == KillMode.Any ? RandomMomentKillPolicy.Around(every, random) : new AfterCheckpointKillPolicy(every),
            ParallelismForStart = _ => options.Parallelism,
        }, cancellationToken);
    }

    /// <summary>One run on <paramref name="broker"/>, treated as <paramref name="plan"/> says.</summary>
    public async Task<DemoSummary> RunOnAsync(DemoBroker broker, DemoPlan plan, CancellationToken cancellationToken)
    {
        _clock.Restart();
        console.Event(Describe());
        console.Event($"broker: {broker.Description}");
        var inputPartitions = await broker.EnsureTopicAsync(plan.InputTopic, TopicPartitions);
        var outputPartitions = await broker.EnsureTopicAsync(plan.OutputTopic, TopicPartitions);
        var inputStart = broker.EndOffsets(plan.InputTopic, inputPartitions);
        var outputStart = broker.EndOffsets(plan.OutputTopic, outputPartitions);
        console.Event($"topics: {plan.InputTopic} ({inputPartitions} partitions), {plan.OutputTopic} ({outputPartitions} partitions)");

        var checkpoints = Directory.CreateTempSubdirectory("rivulet-demo-");
        try
        {
            console.Event($"checkpoints: {checkpoints.FullName}");
            return await RunJobAsync(broker, plan, inputStart, outputStart, checkpoints.FullName, cancellationToken);
        }
        finally
        {
            plan.Chaos?.End();
            checkpoints.Delete(recursive: true);
        }
    }

    private async Task<DemoSummary> RunJobAsync(DemoBroker broker, DemoPlan plan, IReadOnlyDictionary<int, long> inputStart, IReadOnlyDictionary<int, long> outputStart,
        string checkpointDirectory, CancellationToken cancellationToken)
    {
        var records = options.Records;
        var group = "rivulet-demo-" + Guid.NewGuid().ToString("N")[..8];
        using var writer = new DemoInputWriter(broker.BootstrapServers, plan.InputTopic);
        using var live = new DemoVerifier(broker.BootstrapServers, plan.OutputTopic, outputStart, records);
        using var probe = new ConsumerLagProbe(broker.BootstrapServers, plan.InputTopic, group, inputStart);
        using var job = CreateJob(broker, plan, checkpointDirectory, group, inputStart);
        var completion = new DemoCompletion(records, SettleTimeout, StallTimeout);

        using var stopFollowing = new CancellationTokenSource();
        var following = Task.Run(() => Follow(live, stopFollowing.Token), CancellationToken.None);
        // Measured off the supervision loop: while a broker is down a measurement can take seconds,
        // and kills must come when they are due.
        var measuring = Task.Run(() => MeasureEverySecond(probe, stopFollowing.Token), CancellationToken.None);
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
                    if (plan.ChaosEndsWithInput)
                    {
                        job.StopKilling();
                        plan.Chaos?.End();
                        console.Event("chaos: over (all input written); the job runs to the end");
                    }
                }

                if (inputWrittenAt is null || !plan.ChaosEndsWithInput)
                {
                    plan.Chaos?.Tick(now);
                }

                if (job.Supervise(now) is { } jobFailure)
                {
                    failure = jobFailure;
                    break;
                }

                if (now >= nextStatus)
                {
                    nextStatus = now + StatusInterval;
                    input = Volatile.Read(ref _input) ?? input;
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
                              $"and {live.RecordsRead:N0} output records are committed ({probe.Describe()})";
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
            await measuring;
        }

        console.Status($"[{_clock.Elapsed.TotalSeconds,4:0}s] job stopped; reading the output with read_committed to check it", force: true);
        console.EndStatus();
        plan.Chaos?.End();
        using var final = new DemoVerifier(broker.BootstrapServers, plan.OutputTopic, outputStart, records);
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
            TaskManagerKills = job.TaskManagerKills,
            KillsBeforeFirstCheckpoint = job.KillsBeforeFirstCheckpoint,
            KilledUptimes = job.KilledUptimes,
            Restarts = job.Restarts,
            InputWrittenAt = inputWrittenAt,
            Duration = _clock.Elapsed,
            Failure = failure,
        };
        return DemoSummary.Create(options, facts, final.Verdict());
    }

    /// <summary>One supervised job process, or with <c>--cluster</c> a supervised local cluster.</summary>
    private IDemoJob CreateJob(DemoBroker broker, DemoPlan plan, string checkpointDirectory, string group, IReadOnlyDictionary<int, long> inputStart) =>
        options.TaskManagers is { } taskManagers
            ? new DemoClusterSupervisor(JobArguments(broker, plan, checkpointDirectory, group, inputStart, options.Parallelism), taskManagers, options.SlotsPerTaskManager,
                plan.KillPolicy, options.KillMode, console)
            : new DemoJobSupervisor(start => JobArguments(broker, plan, checkpointDirectory, group, inputStart, plan.ParallelismForStart(start)), plan.KillPolicy, console);

    private string[] JobArguments(DemoBroker broker, DemoPlan plan, string checkpointDirectory, string group, IReadOnlyDictionary<int, long> inputStart, int parallelism) =>
    [
        "--bootstrap-servers", broker.BootstrapServers,
        "--checkpoint-dir", checkpointDirectory,
        "--input-topic", plan.InputTopic,
        "--output-topic", plan.OutputTopic,
        "--parallelism", Text(parallelism),
        "--checkpoint-interval", Text(options.CheckpointIntervalMs),
        "--semantic", SemanticArgument.Format(options.Semantic),
        "--group", group,
        "--start-offsets", PartitionOffsetsArgument.Format(inputStart),
        "--progress-interval", Text((long)JobProgressInterval.TotalMilliseconds),
        "--stdin-control",
    ];

    private DemoStatus Status(TimeSpan now, (TimeSpan At, long Read, long Out) previous, long written, IDemoJob job, DemoVerifier live, InputProgress? input)
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
            Processes = job.Processes,
        };
    }

    private async Task MeasureEverySecond(ConsumerLagProbe probe, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            try
            {
                Volatile.Write(ref _input, probe.Measure());
            }
            catch (KafkaException)
            {
                // A slow answer only delays the progress display; the next round asks again.
            }

            try
            {
                await Task.Delay(StatusInterval, stop);
            }
            catch (OperationCanceledException)
            {
                return;
            }
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
        var victim = options.TaskManagers is null ? "each job process" : "a random TaskManager";
        var chaos = options.KillEvery is not { } every ? string.Empty
            : options.KillMode == KillMode.Any ? $", SIGKILL to {victim} at a random moment 0.5-1.5 x {every.TotalSeconds:0.##} s after {(options.TaskManagers is null ? "its start" : "the previous kill")}"
            : options.TaskManagers is null ? $", SIGKILL to the job every {every.TotalSeconds:0.##} s (once it completed a checkpoint)"
            : $", SIGKILL to a random TaskManager {every.TotalSeconds:0.##} s after the job recovered from the previous kill (completed a checkpoint since)";
        var where = options.TaskManagers is { } taskManagers
            ? $" on a local cluster (a JobManager and {taskManagers} TaskManager processes with {options.SlotsPerTaskManager} slot{(options.SlotsPerTaskManager == 1 ? string.Empty : "s")} each, " +
              $"failure detection {DemoClusterSupervisor.FailureTimeoutMs / 1000.0:0.#} s)"
            : string.Empty;
        return $"rivulet demo: {options.Records:N0} records at {rate}; job with parallelism {options.Parallelism}{where}, checkpoints every {options.CheckpointIntervalMs} ms, " +
               $"{SemanticArgument.Format(options.Semantic)}{chaos}";
    }

    private static string Text(long value) => value.ToString(CultureInfo.InvariantCulture);
}
