using System.Collections.Concurrent;
using Rivulet.Core.Api;
using Rivulet.Core.Api.Functions;
using Rivulet.Core.State;
using Rivulet.Core.State.Serialization;

namespace Rivulet.Core.Tests;

/// <summary>State that must come back exactly from a savepoint: serializers and list-state redistribution.</summary>
public sealed class StateRestoreTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Json_class_state_and_custom_serializer_state_come_back_whole()
    {
        var directory = TestEnvironments.TempDirectory();
        var first = new CollectingSink<string>();
        var env = TestEnvironments.WithCheckpoints(directory, parallelism: 1, intervalMs: 1_000_000);
        Pipeline(env, 0, 6, first);
        var job = env.Start("state-before");
        await Wait.UntilAsync(() => first.Values.Count >= 2, Deadline, "the first run");
        var savepoint = await job.TriggerSavepointAsync(Path.Combine(directory, "savepoint"));
        await job.CancelAsync();

        var second = new CollectingSink<string>();
        var restored = TestEnvironments.WithCheckpoints(directory, parallelism: 1, intervalMs: 1_000_000).SetStateRestorePath(savepoint.Directory);
        Pipeline(restored, 6, 8, second);
        var rejob = restored.Start("state-after");
        await Wait.UntilAsync(() => second.Values.Count >= 2, Deadline, "the restored run");
        await rejob.CancelAsync();

        // Keys 0 and 1 each saw 0..7 split by parity; the restored run continues their state.
        Assert.Equal(["k0: count 4, sum 12, last 6 (celsius 6.5)", "k1: count 4, sum 16, last 7 (celsius 7.5)"], second.Values.Order());
    }

    [Fact]
    public async Task Even_split_list_state_goes_back_to_its_own_subtask_at_the_same_parallelism()
    {
        // Subtask 0 holds three entries, subtask 1 one: an even split by position would move one.
        var directory = TestEnvironments.TempDirectory();
        var env = TestEnvironments.WithCheckpoints(directory, parallelism: 2, intervalMs: 1_000_000);
        var reported = new ConcurrentQueue<string>();
        env.AddSource(new SubtaskEntriesSource(reported, restored: false)).Uid("entries").AddSink(_ => { });
        var job = env.Start("list-state-before");
        await Wait.UntilAsync(() => reported.Count >= 2, Deadline, "both subtasks running");
        var savepoint = await job.TriggerSavepointAsync(Path.Combine(directory, "savepoint"));
        await job.CancelAsync();

        reported.Clear();
        var restoredEnv = TestEnvironments.WithCheckpoints(directory, parallelism: 2, intervalMs: 1_000_000).SetStateRestorePath(savepoint.Directory);
        restoredEnv.AddSource(new SubtaskEntriesSource(reported, restored: true)).Uid("entries").AddSink(_ => { });
        var restoredJob = restoredEnv.Start("list-state-after");
        await Wait.UntilAsync(() => reported.Count >= 2, Deadline, "both subtasks restored");
        await restoredJob.CancelAsync();

        Assert.Equal(["subtask 0: from-0-a, from-0-b, from-0-c", "subtask 1: from-1-a"], reported.Order());
    }

    private static void Pipeline(StreamExecutionEnvironment env, int from, int to, CollectingSink<string> sink) =>
        env.AddSource(new EventTime.ScriptedSource<int>(_ => Enumerable.Range(from, to - from).Select(v => new EventTime.SourceStep<int>.Element(v, v)), keepRunning: true))
            .SetParallelism(1).Uid("numbers")
            .KeyBy(v => $"k{v % 2}")
            .Process(new Summary()).Uid("summary")
            .Filter(line => line.Contains("count 3", StringComparison.Ordinal) || line.Contains("count 4", StringComparison.Ordinal))
            .AddSink(sink);

    /// <summary>A positional record (JSON through its constructor) and a type with its own serializer.</summary>
    public sealed record Totals(long Count, long Sum);

    public readonly record struct Reading(long Value, double Celsius);

    private sealed class ReadingSerializer : ITypeSerializer<Reading>
    {
        public void Serialize(Reading value, BinaryWriter writer)
        {
            writer.Write(value.Value);
            writer.Write(value.Celsius);
        }

        public Reading Deserialize(BinaryReader reader)
        {
            var value = reader.ReadInt64();
            return new Reading(value, reader.ReadDouble());
        }
    }

    private sealed class Summary : KeyedProcessFunction<string, int, string>, IRichFunction
    {
        private IValueState<Totals?>? _totals;
        private IValueState<Reading>? _last;

        public void Open(IRuntimeContext context)
        {
            _totals = context.GetState(new ValueStateDescriptor<Totals?>("totals"));
            _last = context.GetState(new ValueStateDescriptor<Reading>("last", serializer: new ReadingSerializer()));
        }

        public void Close()
        {
        }

        public override void ProcessElement(int value, Context context, ICollector<string> output)
        {
            var totals = _totals!.Value ?? new Totals(0, 0);
            totals = new Totals(totals.Count + 1, totals.Sum + value);
            _totals.Value = totals;
            _last!.Value = new Reading(value, value + 0.5);
            output.Collect($"{context.CurrentKey}: count {totals.Count}, sum {totals.Sum}, last {_last.Value.Value} (celsius {_last.Value.Celsius:0.0})");
        }
    }

    /// <summary>On a fresh start, subtask i registers its own entries; restored, it reports what it got back.</summary>
    private sealed class SubtaskEntriesSource(ConcurrentQueue<string> reported, bool restored) : ISourceFunction<int>, ICheckpointedFunction, IRichFunction
    {
        private IListState<string>? _entries;
        private int _subtask;

        public void Open(IRuntimeContext context)
        {
            _subtask = context.SubtaskIndex;
            if (!restored)
            {
                _entries!.Update(_subtask == 0 ? ["from-0-a", "from-0-b", "from-0-c"] : ["from-1-a"]);
            }

            reported.Enqueue($"subtask {_subtask}: {string.Join(", ", _entries!.Get().Order())}");
        }

        public void Close()
        {
        }

        public void InitializeState(IFunctionInitializationContext context) =>
            _entries = context.OperatorStateStore.GetListState(new ListStateDescriptor<string>("entries"));

        public void SnapshotState(IFunctionSnapshotContext context)
        {
        }

        public async Task RunAsync(ISourceContext<int> context, CancellationToken cancellationToken)
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                context.YieldToRuntime();
                await Task.Delay(5, cancellationToken).ConfigureAwait(false);
            }
        }
    }
}
