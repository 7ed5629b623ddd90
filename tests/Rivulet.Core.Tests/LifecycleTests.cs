using Rivulet.Core.Api;
using Rivulet.Core.Api.Functions;

namespace Rivulet.Core.Tests;

public sealed class LifecycleTests
{
    [Fact]
    public async Task A_finished_job_closes_each_function_instance_exactly_once()
    {
        // The race under test: the last subtask to finish completes the attempt, whose cleanup
        // cancels the attempt's token while that subtask is still unwinding. Many short jobs give
        // it many chances to show (before the fix, 200 runs failed about one time in three).
        for (var run = 0; run < 200; run++)
        {
            var calls = new LifecycleCalls();
            var env = StreamExecutionEnvironment.GetExecutionEnvironment().SetParallelism(2);
            env.FromCollection(Enumerable.Range(0, 200))
                .Rebalance()
                .Map(new CountingLifecycleMap(calls))
                .AddSink(new CountingLifecycleSink(calls));

            await (await env.ExecuteAsync($"lifecycle-{run}", TestContext.Current.CancellationToken)).Completion;

            Assert.Equal(4, calls.Opened);
            Assert.Equal(4, calls.Closed);
        }
    }

    private sealed class LifecycleCalls
    {
        private int _opened;
        private int _closed;

        public int Opened => Volatile.Read(ref _opened);

        public int Closed => Volatile.Read(ref _closed);

        public void Open() => Interlocked.Increment(ref _opened);

        public void Close() => Interlocked.Increment(ref _closed);
    }

    private sealed class CountingLifecycleMap(LifecycleCalls calls) : IMapFunction<int, int>, IRichFunction
    {
        public int Map(int value) => value;

        public void Open(IRuntimeContext context) => calls.Open();

        public void Close() => calls.Close();
    }

    private sealed class CountingLifecycleSink(LifecycleCalls calls) : ISinkFunction<int>, IRichFunction
    {
        public void Invoke(int value, ISinkContext context)
        {
        }

        public void Open(IRuntimeContext context) => calls.Open();

        public void Close() => calls.Close();
    }
}
