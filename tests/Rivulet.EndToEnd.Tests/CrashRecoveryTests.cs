using Confluent.Kafka;
using Rivulet.Cli.Demo;
using Rivulet.Connectors.Kafka.Sink.Testing;
using Rivulet.Testing.Kafka;

namespace Rivulet.EndToEnd.Tests;

/// <summary>
/// A Kafka → keyed count → Kafka job in a child process, killed with SIGKILL at each point of the
/// two-phase commit, then started again: a read_committed reader must see every input exactly
/// once with exact per-key counts, and no transaction may stay open.
/// </summary>
[Collection(KilledJobs.Collection)]
public sealed class CrashRecoveryTests(KafkaTestClusterFixture broker) : IClassFixture<KafkaTestClusterFixture>
{
    private const int MinimumRecords = 3_000;

    [Theory]
    [InlineData(SinkCrashPoint.BeforePreCommit)]
    [InlineData(SinkCrashPoint.AfterPreCommit)]
    [InlineData(SinkCrashPoint.AfterCheckpointBeforeCommit)]
    [InlineData(SinkCrashPoint.DuringCommit)]
    public async Task Exactly_once_survives_a_kill_at(string crashPoint)
    {
        var verdict = await RunWithKillAsync(crashPoint, "exactly-once");
        Assert.True(verdict.ExactlyOnce, verdict.ToString());
        Assert.Equal(verdict.Expected, verdict.RecordsOut);
    }

    [Theory]
    [InlineData(SinkCrashPoint.AfterPreCommit)]
    [InlineData(SinkCrashPoint.AfterCheckpointBeforeCommit)]
    public async Task At_least_once_loses_nothing_across_a_kill_at(string crashPoint)
    {
        var verdict = await RunWithKillAsync(crashPoint, "at-least-once");
        Assert.True(verdict.AtLeastOnce, verdict.ToString());
    }

    [Fact]
    public async Task Exactly_once_survives_a_kill_and_a_restart_at_lower_parallelism()
    {
        // Killed at parallelism 3 while every sink subtask has a transaction open; restarted at
        // parallelism 1, the one sink subtask left must also abort what subtasks 1 and 2 left open,
        // or read_committed readers stay blocked (the verdict counts partitions whose last stable
        // offset lags their end).
        var verdict = await RunWithKillAsync(SinkCrashPoint.BeforePreCommit, "exactly-once", parallelism: 3, restartParallelism: 1);
        Assert.True(verdict.ExactlyOnce, verdict.ToString());
        Assert.Equal(verdict.Expected, verdict.RecordsOut);
    }

    [Theory]
    [InlineData(3, 2)]
    [InlineData(2, 3)]
    public async Task Exactly_once_commits_the_pending_transactions_when_restarted_at_another_parallelism(int parallelism, int restartParallelism)
    {
        // Killed after a checkpoint completed but before its transactions were committed; the
        // restart at another parallelism must commit every one of them (by the subtask that owns
        // its id, before that subtask fences the id) — not lose one to another subtask's fencing.
        var verdict = await RunWithKillAsync(SinkCrashPoint.AfterCheckpointBeforeCommit, "exactly-once", parallelism, restartParallelism);
        Assert.True(verdict.ExactlyOnce, verdict.ToString());
        Assert.Equal(verdict.Expected, verdict.RecordsOut);
    }

    [Fact]
    public async Task Exactly_once_survives_a_crash_loop_that_kills_every_restart_before_its_first_checkpoint()
    {
        // The sequence a crash-looping job meets: killed after a checkpoint completed (its
        // transactions not committed yet); the restart is killed right after recovering them (the
        // commit done, nothing fenced yet); the next restart is killed once recovery and fencing
        // are over but before it completes a checkpoint of its own; and the one after that must
        // still find every transaction of that checkpoint committed exactly once and go on.
        var verdict = await RunWithKillAsync(
            [(SinkCrashPoint.AfterCheckpointBeforeCommit, 3), (SinkCrashPoint.AfterRecoveryCommit, 0), (SinkCrashPoint.Started, 0), (SinkCrashPoint.Started, 0)],
            "exactly-once");
        Assert.True(verdict.ExactlyOnce, verdict.ToString());
        Assert.Equal(verdict.Expected, verdict.RecordsOut);
    }

    [Fact]
    public async Task A_transaction_lost_while_the_job_was_down_fails_the_restarted_job_at_once_saying_what_happened()
    {
        var (input, output, _, marker, arguments) = NewJob("exactly-once", "--transaction-timeout 3000 --parallelism 2");
        // Input keeps arriving until the kill, so the transactions of checkpoint 3 carry records.
        using var writer = new DemoInputWriter(broker.BootstrapServers, input);
        using var stopWriting = new CancellationTokenSource();
        var writing = Task.Run(() => writer.WriteAsync(0, long.MaxValue, recordsPerSecond: 1_000, stopWriting.Token), TestContext.Current.CancellationToken);
        await using (new WritingStopper(stopWriting, writing))
        // Killed after a completed checkpoint whose transaction carries records (under load the first
        // checkpoints can come before the source read anything, and an empty transaction loses nothing).
        using (var doomed = ChildProcess.DemoJob(arguments, new Dictionary<string, string> { [EnvironmentCrashPoints.Variable] = $"{SinkCrashPoint.AfterCheckpointWithRecordsBeforeCommit}:3:{marker}" }))
        {
            await Wait.UntilAsync(() => File.Exists(marker) || doomed.HasExited, TimeSpan.FromSeconds(90), "the job to complete checkpoint 3", doomed);
            Assert.False(doomed.HasExited, "the job exited by itself: " + doomed.Output);
            doomed.Kill();
        }

        // Down longer than transaction.timeout.ms: the brokers abort what the checkpoint needed committed.
        await Wait.UntilAsync(() => OutputOffsets(output, IsolationLevel.ReadCommitted).SequenceEqual(OutputOffsets(output, IsolationLevel.ReadUncommitted)),
            TimeSpan.FromSeconds(30), "the brokers to abort the killed job's transactions at their timeout");

        using var restarted = ChildProcess.DemoJob(arguments);
        // Fails at once rather than restarting forever (the demo job's restart strategy never gives
        // up): no restart is logged. The deadline is generous only because the whole suite shares
        // two cores; alone the restarted job fails within seconds.
        Assert.NotEqual(0, await restarted.WaitForExitAsync(TimeSpan.FromMinutes(3)));
        Assert.Contains("failed with an error that restarting cannot fix", restarted.Output);
        Assert.Matches(@"transaction 'rivulet-demo-\d-\d' \(producer id \d+, epoch \d+\) of completed checkpoint [3-9]\d* cannot be committed: read_committed readers skip its first record \(crash-out-\w+/\d@\d+\): the brokers aborted it\. Its \d+ record\(s\) will never be visible", restarted.Output);
        Assert.Contains("transaction.timeout.ms (3000 ms)", restarted.Output);
        Assert.Contains("IgnoreFailuresAfterTransactionTimeout", restarted.Output);
        Assert.DoesNotContain("restarts in", restarted.Output);
    }

    private Task<DemoVerdict> RunWithKillAsync(string crashPoint, string semantic, int parallelism = 2, int? restartParallelism = null) =>
        RunWithKillAsync([(crashPoint, 3)], semantic, parallelism, restartParallelism);

    /// <summary>
    /// Runs the job in a process killed (SIGKILL) at each of <paramref name="crashPoints"/> in turn —
    /// every restart resumes from the latest completed checkpoint — then in one that runs to the
    /// end, and reads the output as a read_committed reader would.
    /// </summary>
    private async Task<DemoVerdict> RunWithKillAsync(IReadOnlyList<(string Point, int FromCheckpoint)> crashPoints, string semantic, int parallelism = 2,
        int? restartParallelism = null)
    {
        var (input, output, group, marker, arguments) = NewJob(semantic, "--parallelism ");

        // Input keeps arriving while the job runs, is killed and restarts — by construction, not by
        // timing — so the transactions open at the crash carry records. Writing stops once the
        // restarted job is running and at least MinimumRecords were written; that count is the
        // expected total.
        using var writer = new DemoInputWriter(broker.BootstrapServers, input);
        using var stopWriting = new CancellationTokenSource();
        var writing = Task.Run(() => writer.WriteAsync(0, long.MaxValue, recordsPerSecond: 1_000, stopWriting.Token));
        // Disposed first: when a check fails, the writer stops producing before it is disposed.
        await using var stopsWriting = new WritingStopper(stopWriting, writing);

        long writtenAtKill = 0;
        long[] outputEndAtKill = [];
        for (var kill = 0; kill < crashPoints.Count; kill++)
        {
            // The first process is killed at the crash point of checkpoint 3 or later (some output
            // is committed by then); its restarts wherever they first reach theirs.
            var (point, fromCheckpoint) = crashPoints[kill];
            var killMarker = $"{marker}-{kill}";
            using var doomed = ChildProcess.DemoJob(arguments + (kill == 0 ? parallelism : restartParallelism ?? parallelism),
                new Dictionary<string, string> { [EnvironmentCrashPoints.Variable] = $"{point}:{fromCheckpoint}:{killMarker}" });
            await Wait.UntilAsync(() => File.Exists(killMarker) || doomed.HasExited || writing.IsCompleted, TimeSpan.FromSeconds(90), $"the job to reach {point}", doomed);
            Assert.False(doomed.HasExited, "the job exited by itself: " + doomed.Output);
            Assert.False(writing.IsFaulted, "writing the input failed: " + writing.Exception);
            doomed.Kill();
            writtenAtKill = writer.Written;
            outputEndAtKill = OutputOffsets(output, IsolationLevel.ReadUncommitted);
        }

        using var restarted = ChildProcess.DemoJob(arguments + (restartParallelism ?? parallelism));
        await Wait.UntilAsync(() => restarted.Output.Contains("resumes from checkpoint", StringComparison.Ordinal), TimeSpan.FromSeconds(60), "the restart", restarted);
        Assert.DoesNotContain("resumes from checkpoint none", restarted.Output);
        if (semantic == "exactly-once")
        {
            // The restarted job ends every transaction the killed one left open (commits the
            // checkpoint's, aborts the rest) as it starts — not the brokers, whose transaction
            // timeout (the demo's 120 s) would end them much later: read_committed readers get
            // past everything written before the kill.
            await Wait.UntilAsync(() => OutputOffsets(output, IsolationLevel.ReadCommitted).Zip(outputEndAtKill).All(o => o.First >= o.Second),
                TimeSpan.FromSeconds(60), "the restarted job to end the transactions the killed one left open", restarted);
        }

        await Wait.UntilAsync(() => writer.Written >= Math.Max(MinimumRecords, writtenAtKill + 200) || writing.IsCompleted, TimeSpan.FromSeconds(60), "more input after the restart", restarted);
        await stopWriting.CancelAsync();
        await writing;
        var expected = writer.Written;
        Assert.True(writtenAtKill < expected, "input must keep arriving across the kill");
        // Done when the job checkpointed having consumed all input (its group offsets reach the
        // end: nothing more can be produced) and the reader sees every index.
        DemoVerdict? verdict = null;
        using var consumption = new ConsumerLagProbe(broker.BootstrapServers, input, group, Enumerable.Range(0, 4).ToDictionary(p => p, _ => 0L));
        await Wait.UntilAsync(() =>
        {
            if (consumption.Measure().Consumed < expected)
            {
                return false;
            }

            verdict = DemoVerifier.Verify(broker.BootstrapServers, output, 4, expected, TimeSpan.FromSeconds(30));
            return verdict.Distinct >= expected;
        }, TimeSpan.FromSeconds(120), "all input consumed and all output committed", restarted);
        restarted.Kill();
        return verdict!;
    }

    /// <summary>
    /// Topics, a checkpoint directory and the arguments of a demo job on them; <paramref name="last"/>
    /// ends the arguments (a parallelism is appended to "--parallelism ").
    /// </summary>
    private (string Input, string Output, string Group, string Marker, string Arguments) NewJob(string semantic, string last)
    {
        var id = Guid.NewGuid().ToString("N")[..8];
        var (input, output, group) = ($"crash-in-{id}", $"crash-out-{id}", $"g-{id}");
        broker.Cluster.CreateTopic(input, 4);
        broker.Cluster.CreateTopic(output, 4);
        var checkpoints = Directory.CreateTempSubdirectory("rivulet-crash-").FullName;
        return (input, output, group, Path.Combine(checkpoints, "crashed"),
            $"--bootstrap-servers {broker.BootstrapServers} --checkpoint-dir {checkpoints}/chk --checkpoint-interval 200 --semantic {semantic} " +
            $"--input-topic {input} --output-topic {output} --group {group} {last}");
    }

    /// <summary>Per output partition: the log end (read_uncommitted) or the last stable offset (read_committed).</summary>
    private long[] OutputOffsets(string topic, IsolationLevel isolation)
    {
        using var consumer = new ConsumerBuilder<Ignore, Ignore>(new ConsumerConfig
        {
            BootstrapServers = broker.BootstrapServers,
            GroupId = "offsets-" + Guid.NewGuid().ToString("N"),
            IsolationLevel = isolation,
        }).Build();
        return [.. Enumerable.Range(0, 4).Select(p => consumer.QueryWatermarkOffsets(new TopicPartition(topic, p), TimeSpan.FromSeconds(10)).High.Value)];
    }

    private sealed class WritingStopper(CancellationTokenSource stop, Task writing) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await stop.CancelAsync();
            await writing.ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }
}
