using Confluent.Kafka;
using Rivulet.Cli.Demo;
using Rivulet.Connectors.Kafka.Native;
using Rivulet.Connectors.Kafka.Testing;
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
    [InlineData(CrashPointHook.BeforePreCommit)]
    [InlineData(CrashPointHook.AfterPreCommit)]
    [InlineData(CrashPointHook.AfterCheckpointBeforeCommit)]
    [InlineData(CrashPointHook.DuringCommit)]
    public async Task Exactly_once_survives_a_kill_at(string crashPoint)
    {
        var verdict = await RunWithKillAsync(crashPoint, "exactly-once");
        Assert.True(verdict.ExactlyOnce, verdict.ToString());
        Assert.Equal(verdict.Expected, verdict.RecordsOut);
    }

    [Theory]
    [InlineData(CrashPointHook.AfterPreCommit)]
    [InlineData(CrashPointHook.AfterCheckpointBeforeCommit)]
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
        var verdict = await RunWithKillAsync(CrashPointHook.BeforePreCommit, "exactly-once", parallelism: 3, restartParallelism: 1);
        Assert.True(verdict.ExactlyOnce, verdict.ToString());
        Assert.Equal(verdict.Expected, verdict.RecordsOut);
    }

    private async Task<DemoVerdict> RunWithKillAsync(string crashPoint, string semantic, int parallelism = 2, int? restartParallelism = null)
    {
        var id = Guid.NewGuid().ToString("N")[..8];
        var input = $"crash-in-{id}";
        var output = $"crash-out-{id}";
        broker.Cluster.CreateTopic(input, 4);
        broker.Cluster.CreateTopic(output, 4);
        var checkpoints = Directory.CreateTempSubdirectory("rivulet-crash-").FullName;
        var marker = Path.Combine(checkpoints, "crashed");
        var arguments = $"--bootstrap-servers {broker.BootstrapServers} --checkpoint-dir {checkpoints}/chk --checkpoint-interval 200 " +
                        $"--semantic {semantic} --input-topic {input} --output-topic {output} --group g-{id} --parallelism ";

        // Input keeps arriving while the job runs, is killed and restarts — by construction, not by
        // timing — so the transactions open at the crash carry records. Writing stops once the
        // restarted job is running and at least MinimumRecords were written; that count is the
        // expected total.
        using var writer = new DemoInputWriter(broker.BootstrapServers, input);
        using var stopWriting = new CancellationTokenSource();
        var writing = Task.Run(() => writer.WriteAsync(0, long.MaxValue, recordsPerSecond: 1_000, stopWriting.Token));
        // Disposed first: when a check fails, the writer stops producing before it is disposed.
        await using var stopsWriting = new WritingStopper(stopWriting, writing);

        long writtenAtKill;
        long[] outputEndAtKill;
        // Killed at the crash point of checkpoint 3 or later: some output is committed by then.
        using (var doomed = ChildProcess.DemoJob(arguments + parallelism, new Dictionary<string, string> { [CrashPointHook.Variable] = $"{crashPoint}:3:{marker}" }))
        {
            await Wait.UntilAsync(() => File.Exists(marker) || doomed.HasExited || writing.IsCompleted, TimeSpan.FromSeconds(90), $"the job to reach {crashPoint}", doomed);
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
        using var consumption = new ConsumerLagProbe(broker.BootstrapServers, input, $"g-{id}", Enumerable.Range(0, 4).ToDictionary(p => p, _ => 0L));
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

    /// <summary>Per output partition: the log end (read_uncommitted) or the last stable offset (read_committed).</summary>
    private long[] OutputOffsets(string topic, IsolationLevel isolation)
    {
        LibrdkafkaLoader.EnsureLoaded();
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
