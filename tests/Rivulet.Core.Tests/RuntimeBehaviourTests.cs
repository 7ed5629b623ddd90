using System.Collections.Concurrent;
using Rivulet.Core.Api;
using Rivulet.Core.Api.Functions;
using Rivulet.Core.Checkpointing;
using Rivulet.Core.Recovery;
using Rivulet.Core.State;

namespace Rivulet.Core.Tests;

public sealed class RuntimeBehaviourTests
{
    [Fact]
    public async Task A_slow_sink_keeps_channel_occupancy_bounded_and_slows_the_source()
    {
        var env = StreamExecutionEnvironment.GetExecutionEnvironment().SetParallelism(1).SetChannelCapacity(4).SetBatchSize(64);
        var received = 0L;
        env.FromCollection(Enumerable.Range(0, 20_000))
            .Rebalance()
            .AddSink(_ =>
            {
                // Deliberately slow consumer.
                if (Interlocked.Increment(ref received) % 50 == 0)
                {
                    Thread.Sleep(1);
                }
            });

        var job = await env.ExecuteAsync("backpressure", TestContext.Current.CancellationToken);
        await job.Completion;

        Assert.Equal(20_000, Interlocked.Read(ref received));
        var edge = Assert.Single(job.Metrics.Edges);
        Assert.True(edge.MaxOccupancy <= edge.Capacity, $"occupancy {edge.MaxOccupancy} exceeded capacity {edge.Capacity}");
        Assert.Equal(4, edge.MaxOccupancy);
        Assert.True(edge.TimesProducerBlocked > 0, "the source never had to wait for the slow sink");
    }

    [Theory]
    [InlineData(3)]
    [InlineData(1)]
    public async Task A_savepoint_restores_at_another_parallelism_with_keyed_state_intact(int newParallelism)
    {
        var directory = TestEnvironments.TempDirectory();
        var first = new CollectingSink<KeyValuePair<string, long>>();
        var env = TestEnvironments.WithCheckpoints(directory, parallelism: 2, intervalMs: 1_000_000);
        Pipeline(env, 1_000, first);
        var job = env.Start("rescale");
        await Wait.UntilAsync(() => first.Values.Count >= 1_000, TimeSpan.FromSeconds(30), "first run output");
        var savepoint = await job.TriggerSavepointAsync(Path.Combine(directory, "savepoint"));
        await job.CancelAsync();

        var second = new ConcurrentQueue<KeyValuePair<string, long>>();
        var restored = TestEnvironments.WithCheckpoints(directory, parallelism: newParallelism, intervalMs: 30).SetStateRestorePath(savepoint.Directory);
        Pipeline(restored, 2_000, new CollectingCommittedSink(second));
        var rescaled = restored.Start("rescale");
        await Wait.UntilAsync(() => second.Count >= 1_000, TimeSpan.FromSeconds(30), "second run output");
        await rescaled.CancelAsync();

        var expected = Enumerable.Range(0, 2_000).GroupBy(v => $"k{v % 10}").ToDictionary(g => g.Key, g => g.Sum(v => (long)v));
        Assert.Equal(expected.OrderBy(kv => kv.Key), FaultToleranceTests.FinalSums(second).OrderBy(kv => kv.Key));
        Assert.Equal(1_000, second.Count);

        static void Pipeline(StreamExecutionEnvironment env, long count, ISinkFunction<KeyValuePair<string, long>> sink) =>
            env.AddSource(new CountingSource(count)).SetParallelism(1).Uid("numbers")
                .KeyBy(v => $"k{v % 10}").Sum(v => v).Uid("sums")
                .AddSink(sink).Uid("sink");
    }

    [Fact]
    public async Task Fixed_delay_gives_up_after_its_attempts()
    {
        var env = StreamExecutionEnvironment.GetExecutionEnvironment().SetParallelism(1)
            .SetRestartStrategy(RestartStrategy.FixedDelay(2, TimeSpan.FromMilliseconds(5)));
        env.FromCollection([1, 2, 3]).Map<int>(_ => throw new InvalidOperationException("always")).AddSink(_ => { });

        var job = env.Start("fixed");
        var error = await Assert.ThrowsAsync<JobExecutionException>(() => job.Completion);

        Assert.Equal(2, job.Metrics.Restarts);
        Assert.Contains("always", error.Message);
        Assert.Contains("fixed delay", error.Message);
    }

    [Fact]
    public async Task No_restart_fails_at_the_first_failure_naming_the_subtask()
    {
        var env = StreamExecutionEnvironment.GetExecutionEnvironment().SetParallelism(1).SetRestartStrategy(RestartStrategy.None());
        env.FromCollection([1]).Map<int>(_ => throw new InvalidOperationException("boom")).Name("exploding map").AddSink(_ => { });

        var job = env.Start("none");
        var error = await Assert.ThrowsAsync<JobExecutionException>(() => job.Completion);

        Assert.Equal(0, job.Metrics.Restarts);
        Assert.Contains("exploding map", error.Message);
        Assert.Contains("boom", error.Message);
    }

    [Fact]
    public async Task Failure_rate_gives_up_when_failures_come_too_fast()
    {
        var env = StreamExecutionEnvironment.GetExecutionEnvironment().SetParallelism(1)
            .SetRestartStrategy(RestartStrategy.FailureRate(3, TimeSpan.FromMinutes(1), TimeSpan.FromMilliseconds(1)));
        env.FromCollection([1]).Map<int>(_ => throw new InvalidOperationException("again")).AddSink(_ => { });

        var job = env.Start("rate");
        await Assert.ThrowsAsync<JobExecutionException>(() => job.Completion);

        Assert.Equal(3, job.Metrics.Restarts);
    }

    [Fact]
    public async Task Exponential_delay_keeps_restarting_until_the_job_succeeds()
    {
        var failuresLeft = 4;
        var env = StreamExecutionEnvironment.GetExecutionEnvironment().SetParallelism(1)
            .SetRestartStrategy(RestartStrategy.ExponentialDelay(TimeSpan.FromMilliseconds(1), TimeSpan.FromMilliseconds(20)));
        var sink = new CollectingSink<int>();
        env.FromCollection([7]).Map(v => Interlocked.Decrement(ref failuresLeft) >= 0 ? throw new InvalidOperationException("flaky") : v).AddSink(sink);

        var job = await env.ExecuteAsync("exponential", TestContext.Current.CancellationToken);
        await job.Completion;

        Assert.Equal(4, job.Metrics.Restarts);
        Assert.Equal([7], sink.Values);
    }

    [Fact]
    public async Task A_checkpoint_that_times_out_is_aborted_and_listeners_are_told()
    {
        var directory = TestEnvironments.TempDirectory();
        var listener = new SlowSnapshotListener();
        var env = TestEnvironments.WithCheckpoints(directory, parallelism: 1, intervalMs: 20);
        env.CheckpointConfig.Timeout = TimeSpan.FromMilliseconds(100);
        env.CheckpointConfig.TolerableCheckpointFailureNumber = 100;
        env.AddSource(new CountingSource(1_000_000, recordsPerYield: 10)).AddSink(listener);

        var job = env.Start("timeouts");
        await Wait.UntilAsync(() => !listener.Aborted.IsEmpty && !listener.Completed.IsEmpty, TimeSpan.FromSeconds(30), "an aborted and a completed checkpoint");
        await job.CancelAsync();

        Assert.True(job.Metrics.CheckpointsFailed > 0);
        Assert.Contains(listener.Aborted.First(), listener.SlowCheckpoints);
        Assert.DoesNotContain(listener.Aborted.First(), listener.Completed);
    }

    [Fact]
    public async Task Too_many_failed_checkpoints_fail_the_job()
    {
        var directory = TestEnvironments.TempDirectory();
        var env = TestEnvironments.WithCheckpoints(directory, parallelism: 1, intervalMs: 20).SetRestartStrategy(RestartStrategy.None());
        env.CheckpointConfig.Timeout = TimeSpan.FromMilliseconds(50);
        env.CheckpointConfig.TolerableCheckpointFailureNumber = 0;
        env.AddSource(new CountingSource(1_000_000, recordsPerYield: 10)).AddSink(new SlowSnapshotListener(everyCheckpoint: true));

        var job = env.Start("intolerable");
        var error = await Assert.ThrowsAsync<JobExecutionException>(() => job.Completion);
        Assert.IsType<CheckpointException>(error.InnerException);
        Assert.Contains("TolerableCheckpointFailureNumber", error.Message);
    }

    private sealed class CollectingCommittedSink(ConcurrentQueue<KeyValuePair<string, long>> output) : ISinkFunction<KeyValuePair<string, long>>, ICheckpointedFunction, ICheckpointListener
    {
        private List<KeyValuePair<string, long>> _buffer = [];
        private Dictionary<long, List<KeyValuePair<string, long>>> _pending = [];

        public void Invoke(KeyValuePair<string, long> value, ISinkContext context) => _buffer.Add(value);

        public void SnapshotState(IFunctionSnapshotContext context)
        {
            _pending[context.CheckpointId] = _buffer;
            _buffer = [];
        }

        public void InitializeState(IFunctionInitializationContext context)
        {
            _buffer = [];
            _pending = [];
        }

        public void NotifyCheckpointComplete(long checkpointId)
        {
            foreach (var id in _pending.Keys.Where(k => k <= checkpointId).Order().ToList())
            {
                _pending[id].ForEach(output.Enqueue);
                _pending.Remove(id);
            }
        }
    }

    private sealed class SlowSnapshotListener(bool everyCheckpoint = false) : ISinkFunction<long>, ICheckpointedFunction, ICheckpointListener
    {
        public ConcurrentQueue<long> Aborted { get; } = new();

        public ConcurrentQueue<long> Completed { get; } = new();

        public ConcurrentQueue<long> SlowCheckpoints { get; } = new();

        public void Invoke(long value, ISinkContext context)
        {
        }

        public void SnapshotState(IFunctionSnapshotContext context)
        {
            // Every third checkpoint (or all) takes longer than the checkpoint timeout.
            if (everyCheckpoint || context.CheckpointId % 3 == 1)
            {
                SlowCheckpoints.Enqueue(context.CheckpointId);
                Thread.Sleep(250);
            }
        }

        public void InitializeState(IFunctionInitializationContext context)
        {
        }

        public void NotifyCheckpointComplete(long checkpointId) => Completed.Enqueue(checkpointId);

        public void NotifyCheckpointAborted(long checkpointId) => Aborted.Enqueue(checkpointId);
    }
}
