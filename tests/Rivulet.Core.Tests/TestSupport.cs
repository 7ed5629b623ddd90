using System.Collections.Concurrent;
using Rivulet.Core.Api;
using Rivulet.Core.Api.Functions;
using Rivulet.Core.Checkpointing;

namespace Rivulet.Core.Tests;

/// <summary>Collects sink input across subtasks and attempts.</summary>
internal sealed class CollectingSink<T> : ISinkFunction<T>
{
    public ConcurrentQueue<T> Values { get; } = new();

    public void Invoke(T value, ISinkContext context) => Values.Enqueue(value);
}

/// <summary>
/// An unbounded source of 0..count-1 that then idles until cancelled, checkpointing its position.
/// Emits at most <c>pace</c> records per yield so checkpoints interleave.
/// </summary>
internal sealed class CountingSource(long count, int recordsPerYield = 100, TimeSpan? pause = null) : ISourceFunction<long>, ICheckpointedFunction
{
    private State.IListState<long>? _state;
    private long _next;

    public async Task RunAsync(ISourceContext<long> context, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            if (_next >= count)
            {
                context.YieldToRuntime();
                await Task.Delay(5, cancellationToken).ConfigureAwait(false);
                continue;
            }

            for (var i = 0; i < recordsPerYield && _next < count; i++)
            {
                context.Collect(_next);
                _next++;
            }

            context.YieldToRuntime();
            if (pause is { } delay)
            {
                await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    public void SnapshotState(IFunctionSnapshotContext context) => _state!.Update([_next]);

    public void InitializeState(IFunctionInitializationContext context)
    {
        _state = context.OperatorStateStore.GetListState(new State.ListStateDescriptor<long>("next"));
        _next = _state.Get().DefaultIfEmpty(0).Max();
    }
}

internal static class Wait
{
    public static async Task UntilAsync(Func<bool> condition, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Timed out after {timeout.TotalSeconds} s waiting for {what}.");
            }

            await Task.Delay(10);
        }
    }
}

internal static class TestEnvironments
{
    public static StreamExecutionEnvironment WithCheckpoints(string directory, int parallelism = 1, int intervalMs = 50)
    {
        var env = StreamExecutionEnvironment.GetExecutionEnvironment().SetParallelism(parallelism);
        env.EnableCheckpointing(intervalMs);
        env.CheckpointConfig.CheckpointDirectory = directory;
        return env;
    }

    public static string TempDirectory() => Directory.CreateTempSubdirectory("rivulet-test-").FullName;
}
