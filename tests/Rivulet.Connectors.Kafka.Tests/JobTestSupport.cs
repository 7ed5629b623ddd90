using System.Collections.Concurrent;
using Rivulet.Core.Api;
using Rivulet.Core.Api.Functions;

namespace Rivulet.Connectors.Kafka.Tests;

/// <summary>Output becomes visible only when its checkpoint completes: exactly-once by construction.</summary>
internal sealed class CommittingSink<T>(ConcurrentQueue<T> committed) : ISinkFunction<T>, ICheckpointedFunction, ICheckpointListener
{
    private List<T> _buffer = [];
    private SortedDictionary<long, List<T>> _pending = [];

    public void Invoke(T value, ISinkContext context) => _buffer.Add(value);

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
        foreach (var id in _pending.Keys.Where(k => k <= checkpointId).ToList())
        {
            _pending[id].ForEach(committed.Enqueue);
            _pending.Remove(id);
        }
    }
}

/// <summary>Throws the first time each given value passes; shared by all copies of the function.</summary>
internal sealed class FailOnce<T>(params T[] values) : IMapFunction<T, T>
    where T : notnull
{
    private readonly ConcurrentDictionary<T, bool> _pending = new(values.Select(v => KeyValuePair.Create(v, true)));

    public T Map(T value) => _pending.TryRemove(value, out _) ? throw new InvalidOperationException($"injected failure at {value}") : value;
}

internal static class JobWait
{
    public static async Task UntilAsync(Func<bool> condition, TimeSpan timeout, string what, JobClient? job = null)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!condition())
        {
            if (job is { Completion.IsFaulted: true })
            {
                throw new InvalidOperationException($"The job failed while waiting for {what}", job.Completion.Exception);
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Timed out after {timeout.TotalSeconds} s waiting for {what}.");
            }

            await Task.Delay(20);
        }
    }

    public static StreamExecutionEnvironment Checkpointed(int parallelism, int intervalMs = 100)
    {
        var env = StreamExecutionEnvironment.GetExecutionEnvironment().SetParallelism(parallelism);
        env.EnableCheckpointing(intervalMs);
        env.CheckpointConfig.CheckpointDirectory = Directory.CreateTempSubdirectory("rivulet-kafka-test-").FullName;
        return env;
    }
}
