using System.Collections.Concurrent;
using Rivulet.Core.Api;
using Rivulet.Core.Api.Functions;
using Rivulet.Core.Recovery;

namespace Rivulet.Core.Tests;

public sealed class FaultToleranceTests
{
    private const int Keys = 10;

    [Fact]
    public async Task Keyed_results_are_exact_after_injected_failures_and_restarts()
    {
        var directory = TestEnvironments.TempDirectory();
        var committed = new ConcurrentQueue<KeyValuePair<string, long>>();
        var failures = new FailOnce<long>(1_234, 3_456, 4_999);
        var env = TestEnvironments.WithCheckpoints(directory, parallelism: 2, intervalMs: 30)
            .SetRestartStrategy(RestartStrategy.FixedDelay(5, TimeSpan.FromMilliseconds(10)));
        env.AddSource(new CountingSource(5_000)).SetParallelism(1)
            .Map(failures)
            .KeyBy(v => $"k{v % Keys}")
            .Sum(v => v)
            .AddSink(new CommittingSink<KeyValuePair<string, long>>(committed));

        var job = env.Start("exact-after-failures");
        await Wait.UntilAsync(() => committed.Count >= 5_000 || job.Completion.IsFaulted, TimeSpan.FromSeconds(60), "all 5000 results committed");
        await job.CancelAsync();

        Assert.False(job.Completion.IsFaulted, job.Completion.Exception?.ToString());
        Assert.Equal(3, job.Metrics.Restarts);
        Assert.Equal(5_000, committed.Count);
        AssertExactSums(committed, 5_000);
    }

    [Fact]
    public async Task Barriers_align_across_two_inputs_of_different_speed()
    {
        var directory = TestEnvironments.TempDirectory();
        var committed = new ConcurrentQueue<KeyValuePair<string, long>>();
        var failures = new FailOnce<long>(2_500, 1_001_500);
        var env = TestEnvironments.WithCheckpoints(directory, parallelism: 1, intervalMs: 20)
            .SetRestartStrategy(RestartStrategy.FixedDelay(3, TimeSpan.FromMilliseconds(10)));
        var fast = env.AddSource(new CountingSource(3_000, recordsPerYield: 500)).Name("fast");
        var slow = env.AddSource(new CountingSource(3_000, recordsPerYield: 3, pause: TimeSpan.FromMilliseconds(1))).Name("slow").Map(v => v + 1_000_000);
        // The merging map is slower than the fast source, so the fast channel holds a backlog in
        // front of its barrier while the slow channel's barrier arrives early: without alignment,
        // slow records after their barrier would slip into the checkpoint and be replayed again.
        fast.Union(slow)
            .Map(v =>
            {
                Thread.SpinWait(3_000);
                return v;
            })
            .Map(failures)
            .KeyBy(v => $"k{v % Keys}")
            .Sum(v => v)
            .AddSink(new CommittingSink<KeyValuePair<string, long>>(committed));

        var job = env.Start("alignment");
        await Wait.UntilAsync(() => committed.Count >= 6_000 || job.Completion.IsFaulted, TimeSpan.FromSeconds(60), "6000 results");
        await job.CancelAsync();

        Assert.False(job.Completion.IsFaulted, job.Completion.Exception?.ToString());
        Assert.Equal(2, job.Metrics.Restarts);
        Assert.Equal(6_000, committed.Count);
        var expected = Enumerable.Range(0, 3_000).Select(i => (long)i).Concat(Enumerable.Range(0, 3_000).Select(i => i + 1_000_000L))
            .GroupBy(v => $"k{v % Keys}").ToDictionary(g => g.Key, g => g.Sum());
        Assert.Equal(expected.OrderBy(kv => kv.Key), FinalSums(committed).OrderBy(kv => kv.Key));
    }

    [Fact]
    public async Task A_job_resumes_from_the_latest_checkpoint_in_its_directory()
    {
        var directory = TestEnvironments.TempDirectory();
        var committed = new ConcurrentQueue<KeyValuePair<string, long>>();

        StreamExecutionEnvironment Build(long count)
        {
            var env = TestEnvironments.WithCheckpoints(directory, parallelism: 2, intervalMs: 30).SetResumeFromLatestCheckpoint();
            env.AddSource(new CountingSource(count)).SetParallelism(1).Uid("numbers")
                .KeyBy(v => $"k{v % Keys}").Sum(v => v).Uid("sums")
                .AddSink(new CommittingSink<KeyValuePair<string, long>>(committed)).Uid("sink");
            return env;
        }

        var first = Build(1_000).Start("resume");
        await Wait.UntilAsync(() => committed.Count >= 1_000, TimeSpan.FromSeconds(30), "first run");
        await first.CancelAsync();

        // A restarted process starts after the old one is gone. Started while the first job was
        // still stopping, the second restored from chk-n as the first completed chk-n+1 and
        // pruned chk-n under it ("could not find .../chk-n/numbers-0.state").
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => first.Completion).WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);

        // A new environment, as a restarted process would build: it finds chk-n in the directory.
        var second = Build(2_000).Start("resume");
        await Wait.UntilAsync(() => committed.Count >= 2_000, TimeSpan.FromSeconds(30), "second run");
        await second.CancelAsync();

        Assert.Equal(2_000, committed.Count);
        AssertExactSums(committed, 2_000);
    }

    private static void AssertExactSums(IEnumerable<KeyValuePair<string, long>> committed, int count)
    {
        var expected = Enumerable.Range(0, count).GroupBy(v => $"k{v % Keys}").ToDictionary(g => g.Key, g => g.Sum(v => (long)v));
        Assert.Equal(expected.OrderBy(kv => kv.Key), FinalSums(committed).OrderBy(kv => kv.Key));
    }

    internal static Dictionary<string, long> FinalSums(IEnumerable<KeyValuePair<string, long>> committed) =>
        committed.GroupBy(kv => kv.Key).ToDictionary(g => g.Key, g => g.Max(kv => kv.Value));
}
