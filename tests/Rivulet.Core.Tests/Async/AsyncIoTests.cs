using System.Collections.Concurrent;
using Microsoft.Extensions.Time.Testing;
using Rivulet.Core.Api;
using Rivulet.Core.Api.Functions;
using Rivulet.Core.Recovery;
using Rivulet.Core.Tests.EventTime;

namespace Rivulet.Core.Tests.Async;

/// <summary>
/// Asynchronous I/O (Flink's <c>AsyncDataStream</c>): calls overlap up to the capacity, ordered mode
/// keeps input order, unordered mode never lets a result pass a watermark, timeouts go to the
/// function's Timeout, and calls in flight at a checkpoint are issued again after a restore.
/// </summary>
public sealed class AsyncIoTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Calls_overlap_up_to_the_capacity_and_ordered_mode_keeps_the_input_order(bool ordered)
    {
        var output = new CollectingSink<int>();
        var calls = new CallLog();
        var env = StreamExecutionEnvironment.GetExecutionEnvironment().SetParallelism(1);
        var input = env.FromCollection(Enumerable.Range(0, 40));
        // Later elements answer sooner: out of order unless the operator restores the order.
        var function = new Echo(calls, value => TimeSpan.FromMilliseconds((40 - value) % 8 * 3));
        var results = ordered
            ? AsyncDataStream.OrderedWait(input, function, TimeSpan.FromSeconds(20), capacity: 4)
            : AsyncDataStream.UnorderedWait(input, function, TimeSpan.FromSeconds(20), capacity: 4);
        results.AddSink(output);

        await env.ExecuteAsync("async-io", TestContext.Current.CancellationToken);

        Assert.Equal(Enumerable.Range(0, 40).Select(v => v * 10), output.Values.Order());
        if (ordered)
        {
            Assert.Equal(Enumerable.Range(0, 40).Select(v => v * 10), output.Values);
        }

        Assert.InRange(calls.MaxInFlight, 2, 4);
    }

    [Fact]
    public async Task Unordered_results_never_pass_a_watermark()
    {
        var output = new CollectingSink<string>();
        var calls = new CallLog();
        var slow = new TaskCompletionSource<IReadOnlyCollection<string>>(TaskCreationOptions.RunContinuationsAsynchronously);
        var env = StreamExecutionEnvironment.GetExecutionEnvironment().SetParallelism(1);
        var input = env.AddSource(new ScriptedSource<string>(_ =>
            [new SourceStep<string>.Element("slow", 10), new SourceStep<string>.Watermark(100), new SourceStep<string>.Element("fast", 200)], keepRunning: true));
        AsyncDataStream.UnorderedWait(input, new Gated(calls, slow), TimeSpan.FromSeconds(20)).Process(new WithWatermark()).AddSink(output);
        var job = env.Start("async-watermark");
        try
        {
            await Wait.UntilAsync(() => calls.Invoked.Contains("fast"), Deadline, "the fast call, issued after the watermark");
            Assert.Empty(output.Values);
            slow.SetResult(["slow"]);
            await Wait.UntilAsync(() => output.Values.Count == 2, Deadline, "both results");

            Assert.Equal(["slow before watermark " + long.MinValue, "fast after watermark 100"], output.Values);
        }
        finally
        {
            await job.CancelAsync();
        }
    }

    [Fact]
    public async Task A_call_that_times_out_is_cancelled_and_answered_by_the_timeout_hook_or_fails_the_job_naming_the_element()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var output = new CollectingSink<string>();
        var calls = new CallLog();
        var env = StreamExecutionEnvironment.GetExecutionEnvironment().SetParallelism(1).SetTimeProvider(clock);
        AsyncDataStream.OrderedWait(env.FromCollection(["hangs"]), new Hangs(calls, withTimeoutHook: true), TimeSpan.FromMinutes(1)).AddSink(output);
        var job = env.Start("async-timeout");
        await Wait.UntilAsync(() => calls.Invoked.Contains("hangs") && Step(clock, () => job.Completion.IsCompleted), Deadline, "the call to time out");
        await job.Completion;
        Assert.Equal(["timed out: hangs"], output.Values);
        await Wait.UntilAsync(() => calls.Cancelled.Contains("hangs"), Deadline, "the timed-out call to see its cancellation");

        var failingClock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var failing = StreamExecutionEnvironment.GetExecutionEnvironment().SetParallelism(1).SetTimeProvider(failingClock).SetRestartStrategy(RestartStrategy.None());
        var failingCalls = new CallLog();
        AsyncDataStream.OrderedWait(failing.FromCollection(["element-42"]), new Hangs(failingCalls, withTimeoutHook: false), TimeSpan.FromMinutes(1)).AddSink(_ => { });
        var failingJob = failing.Start("async-timeout-fails");
        await Wait.UntilAsync(() => failingCalls.Invoked.Contains("element-42") && Step(failingClock, () => failingJob.Completion.IsCompleted), Deadline, "the job to fail");
        var error = await Assert.ThrowsAnyAsync<Exception>(() => failingJob.Completion);
        Assert.Contains("element-42", error.ToString(), StringComparison.Ordinal);
        Assert.Contains(nameof(TimeoutException), error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Calls_in_flight_at_a_checkpoint_are_issued_again_after_a_restore_at_another_parallelism()
    {
        var directory = TestEnvironments.TempDirectory();
        try
        {
            // First run: five calls hang; a savepoint takes them with it.
            var emitted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var firstCalls = new CallLog();
            var env = TestEnvironments.WithCheckpoints(directory, parallelism: 2, intervalMs: 1_000_000);
            var firstOutput = new CollectingSink<string>();
            Pipeline(env, [.. Enumerable.Range(0, 5).Select(v => new SourceStep<string>.Element($"e{v}", v)), new SourceStep<string>.Signal(emitted)], new Hangs(firstCalls, withTimeoutHook: false), firstOutput);
            var job = env.Start("async-before");
            await emitted.Task.WaitAsync(Deadline, TestContext.Current.CancellationToken);
            await Wait.UntilAsync(() => firstCalls.Invoked.Count == 5, Deadline, "five calls in flight");
            var savepoint = await job.TriggerSavepointAsync(Path.Combine(directory, "savepoint"));
            await job.CancelAsync();
            Assert.Empty(firstOutput.Values);

            // Restored at parallelism 3 with a service that answers: the five come out, once each.
            var output = new CollectingSink<string>();
            var restored = TestEnvironments.WithCheckpoints(directory, parallelism: 3, intervalMs: 1_000_000).SetStateRestorePath(savepoint.Directory);
            Pipeline(restored, [], new Gated(new CallLog(), Task.FromResult<IReadOnlyCollection<string>>([])), output);
            var rejob = restored.Start("async-after");
            await Wait.UntilAsync(() => output.Values.Count >= 5, Deadline, "the re-issued calls' results");
            await rejob.CancelAsync();

            Assert.Equal(["e0", "e1", "e2", "e3", "e4"], output.Values.Order());
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static void Pipeline(StreamExecutionEnvironment env, List<SourceStep<string>> elements, IAsyncFunction<string, string> function, CollectingSink<string> sink)
    {
        var input = env.AddSource(new ScriptedSource<string>(_ => elements, keepRunning: true)).SetParallelism(1).Uid("input");
        AsyncDataStream.UnorderedWait(input.Rebalance(), function, TimeSpan.FromMinutes(5)).Uid("lookup").AddSink(sink);
    }

    private static bool Step(FakeTimeProvider clock, Func<bool> done)
    {
        if (done())
        {
            return true;
        }

        clock.Advance(TimeSpan.FromSeconds(20));
        return false;
    }

    /// <summary>What the functions saw, shared by all their copies.</summary>
    private sealed class CallLog
    {
        private int _inFlight;
        private int _maxInFlight;

        public ConcurrentQueue<string> Invoked { get; } = new();

        public ConcurrentQueue<string> Cancelled { get; } = new();

        public int MaxInFlight => Volatile.Read(ref _maxInFlight);

        public void Started(string what)
        {
            Invoked.Enqueue(what);
            var now = Interlocked.Increment(ref _inFlight);
            int max;
            while (now > (max = Volatile.Read(ref _maxInFlight)) && Interlocked.CompareExchange(ref _maxInFlight, now, max) != max)
            {
            }
        }

        public void Finished() => Interlocked.Decrement(ref _inFlight);
    }

    /// <summary>Answers value × 10 after a per-value delay.</summary>
    private sealed class Echo(CallLog calls, Func<int, TimeSpan> delay) : IAsyncFunction<int, int>
    {
        public async Task<IReadOnlyCollection<int>> InvokeAsync(int input, CancellationToken cancellationToken)
        {
            calls.Started(input.ToString(System.Globalization.CultureInfo.InvariantCulture));
            try
            {
                await Task.Delay(delay(input), cancellationToken);
                return [input * 10];
            }
            finally
            {
                calls.Finished();
            }
        }
    }

    /// <summary>"slow" answers when the test says so; everything else at once, with itself.</summary>
    private sealed class Gated(CallLog calls, Task<IReadOnlyCollection<string>> slow) : IAsyncFunction<string, string>
    {
        public Gated(CallLog calls, TaskCompletionSource<IReadOnlyCollection<string>> slow)
            : this(calls, slow.Task)
        {
        }

        public Task<IReadOnlyCollection<string>> InvokeAsync(string input, CancellationToken cancellationToken)
        {
            calls.Started(input);
            return input == "slow" ? slow : Task.FromResult<IReadOnlyCollection<string>>([input]);
        }
    }

    /// <summary>Never answers; records the cancellation it gets on timeout.</summary>
    private sealed class Hangs(CallLog calls, bool withTimeoutHook) : IAsyncFunction<string, string>
    {
        public async Task<IReadOnlyCollection<string>> InvokeAsync(string input, CancellationToken cancellationToken)
        {
            calls.Started(input);
            try
            {
                await Task.Delay(System.Threading.Timeout.InfiniteTimeSpan, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                calls.Cancelled.Enqueue(input);
                throw;
            }

            return [];
        }

        public IReadOnlyCollection<string> Timeout(string input) =>
            withTimeoutHook ? [$"timed out: {input}"] : ((IAsyncFunction<string, string>)new DefaultTimeout()).Timeout(input);
    }

    /// <summary>Only for its interface's default Timeout.</summary>
    private sealed class DefaultTimeout : IAsyncFunction<string, string>
    {
        public Task<IReadOnlyCollection<string>> InvokeAsync(string input, CancellationToken cancellationToken) => throw new NotSupportedException();
    }

    /// <summary>Tags each result with whether the watermark had passed 100 when it arrived.</summary>
    private sealed class WithWatermark : ProcessFunction<string, string>
    {
        public override void ProcessElement(string value, ProcessContext context, ICollector<string> output) =>
            output.Collect(context.CurrentWatermark >= 100 ? $"{value} after watermark {context.CurrentWatermark}" : $"{value} before watermark {context.CurrentWatermark}");
    }
}
