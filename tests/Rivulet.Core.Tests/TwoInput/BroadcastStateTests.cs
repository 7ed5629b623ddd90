using Rivulet.Core.Api;
using Rivulet.Core.Api.Functions;
using Rivulet.Core.State;
using Rivulet.Core.Tests.EventTime;

namespace Rivulet.Core.Tests.TwoInput;

/// <summary>
/// The broadcast state pattern: every subtask receives every broadcast element and keeps the same
/// broadcast state, which the other input reads; it is checkpointed and restored at any parallelism,
/// and broadcast elements can visit every key's state.
/// </summary>
public sealed class BroadcastStateTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);
    private static readonly MapStateDescriptor<string, int> Rules = new("rules");

    [Fact]
    public async Task Keyed_elements_read_broadcast_rules_that_restore_at_another_parallelism_and_broadcasts_visit_every_keys_state()
    {
        var directory = TestEnvironments.TempDirectory();
        try
        {
            // First run, parallelism 2: the rule reaches both subtasks before any element.
            var first = new CollectingSink<string>();
            var elementsMayStart = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var env = TestEnvironments.WithCheckpoints(directory, parallelism: 2, intervalMs: 1_000_000);
            Pipeline(env, rules: [new SourceStep<(string, int)>.Element(("min", 50), 0)],
                elements: [new SourceStep<(int, int)>.WaitFor(elementsMayStart), .. Enumerable.Range(0, 12).SelectMany(k => Steps((k, 50 + k), (k, 10)))], first);
            var job = env.Start("broadcast-before");
            await Wait.UntilAsync(() => first.Values.Count(v => v.StartsWith("rule", StringComparison.Ordinal)) == 2, Deadline, "the rule on both subtasks");
            elementsMayStart.SetResult();
            await Wait.UntilAsync(() => first.Values.Count(v => v.StartsWith("accept", StringComparison.Ordinal)) == 12, Deadline, "the accepted elements");
            var savepoint = await job.TriggerSavepointAsync(Path.Combine(directory, "savepoint"));
            await job.CancelAsync();
            Assert.Equal(Enumerable.Range(0, 12).Select(k => $"accept {k}: {50 + k}").Order(), first.Values.Where(v => v.StartsWith("accept", StringComparison.Ordinal)).Order());

            // Restored at parallelism 3: every subtask has the rule (subtask 2 took a copy too) and
            // each key its count; a "reset" broadcast then visits every key's count.
            var second = new CollectingSink<string>();
            var resetMayStart = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var restored = TestEnvironments.WithCheckpoints(directory, parallelism: 3, intervalMs: 1_000_000).SetStateRestorePath(savepoint.Directory);
            Pipeline(restored, rules: [new SourceStep<(string, int)>.WaitFor(resetMayStart), new SourceStep<(string, int)>.Element(("reset", 0), 0)],
                elements: [.. Enumerable.Range(0, 12).SelectMany(k => Steps((k, 60), (k, 49)))], second);
            var rejob = restored.Start("broadcast-after");
            await Wait.UntilAsync(() => second.Values.Count(v => v.StartsWith("accept", StringComparison.Ordinal)) == 12, Deadline, "the restored run's accepted elements");
            resetMayStart.SetResult();
            await Wait.UntilAsync(() => second.Values.Count(v => v.StartsWith("count", StringComparison.Ordinal)) == 12, Deadline, "the reset's visit of every key");
            await rejob.CancelAsync();

            Assert.Equal(Enumerable.Range(0, 12).Select(k => $"accept {k}: 60").Order(), second.Values.Where(v => v.StartsWith("accept", StringComparison.Ordinal)).Order());
            Assert.Equal(Enumerable.Range(0, 12).Select(k => $"count {k} = 2").Order(), second.Values.Where(v => v.StartsWith("count", StringComparison.Ordinal)).Order());
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task Non_keyed_elements_read_the_broadcast_state_and_an_undeclared_state_fails_naming_it()
    {
        var output = new CollectingSink<int>();
        var mayStart = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var env = StreamExecutionEnvironment.GetExecutionEnvironment().SetParallelism(2);
        var divisors = env.AddSource(new ScriptedSource<int>(_ => [new SourceStep<int>.Element(3, 0)], keepRunning: true)).SetParallelism(1).Broadcast(Rules);
        var numbers = env.AddSource(new ScriptedSource<int>(_ => [new SourceStep<int>.WaitFor(mayStart), .. Enumerable.Range(1, 10).Select(n => new SourceStep<int>.Element(n, 0))], keepRunning: true)).SetParallelism(1);
        numbers.Connect(divisors).Process(new MultiplesOnly()).AddSink(output);
        var job = env.Start("broadcast-non-keyed");
        try
        {
            await Wait.UntilAsync(() => output.Values.Count(v => v < 0) == 2, Deadline, "the divisor on both subtasks");
            mayStart.SetResult();
            await Wait.UntilAsync(() => output.Values.Count(v => v > 0) == 3, Deadline, "the multiples of 3");
            Assert.Equal([3, 6, 9], output.Values.Where(v => v > 0).Order());
        }
        finally
        {
            await job.CancelAsync();
        }

        var failing = StreamExecutionEnvironment.GetExecutionEnvironment().SetParallelism(1).SetRestartStrategy(Core.Recovery.RestartStrategy.None());
        var declared = failing.FromCollection([1]).Broadcast(new MapStateDescriptor<string, int>("declared"));
        failing.FromCollection([1]).Connect(declared).Process(new MultiplesOnly()).AddSink(_ => { });
        var error = await Assert.ThrowsAnyAsync<Exception>(() => failing.ExecuteAsync("broadcast-undeclared", TestContext.Current.CancellationToken));
        Assert.Contains("broadcast state 'rules' was not declared", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Broadcast_state_must_be_map_state_with_distinct_names()
    {
        var env = StreamExecutionEnvironment.GetExecutionEnvironment();
        var stream = env.FromCollection([1]);

        var notMap = Assert.Throws<ArgumentException>(() => stream.Broadcast(new ValueStateDescriptor<int>("threshold")));
        Assert.Contains("'threshold'", notMap.Message, StringComparison.Ordinal);
        var twice = Assert.Throws<ArgumentException>(() => stream.Broadcast(Rules, new MapStateDescriptor<string, string>("rules")));
        Assert.Contains("'rules' is named twice", twice.Message, StringComparison.Ordinal);
    }

    private static IEnumerable<SourceStep<(int, int)>> Steps(params (int Key, int Amount)[] elements) =>
        elements.Select(e => new SourceStep<(int, int)>.Element(e, 0));

    private static void Pipeline(StreamExecutionEnvironment env, List<SourceStep<(string, int)>> rules, List<SourceStep<(int, int)>> elements, CollectingSink<string> sink)
    {
        var ruleStream = env.AddSource(new ScriptedSource<(string Name, int Value)>(_ => rules, keepRunning: true)).SetParallelism(1).Uid("rules").Broadcast(Rules);
        env.AddSource(new ScriptedSource<(int Key, int Amount)>(_ => elements, keepRunning: true)).SetParallelism(1).Uid("elements")
            .KeyBy(e => e.Key)
            .Connect(ruleStream)
            .Process(new Threshold()).Uid("threshold")
            .AddSink(sink);
    }

    /// <summary>Accepts amounts at or above the broadcast "min" rule and counts them per key; "reset" reports and clears every key's count.</summary>
    private sealed class Threshold : KeyedBroadcastProcessFunction<int, (int Key, int Amount), (string Name, int Value), string>, IRichFunction
    {
        private static readonly ValueStateDescriptor<int> Count = new("accepted");
        private IValueState<int>? _count;
        private int _subtask;

        public void Open(IRuntimeContext context)
        {
            _count = context.GetState(Count);
            _subtask = context.SubtaskIndex;
        }

        public void Close()
        {
        }

        public override void ProcessElement((int Key, int Amount) value, ReadOnlyContext context, ICollector<string> output)
        {
            if (context.GetBroadcastState(Rules).TryGet("min", out var min) && value.Amount >= min)
            {
                _count!.Value++;
                output.Collect($"accept {context.CurrentKey}: {value.Amount}");
            }
        }

        public override void ProcessBroadcastElement((string Name, int Value) value, Context context, ICollector<string> output)
        {
            if (value.Name == "reset")
            {
                context.ApplyToKeyedState(Count, (key, count) =>
                {
                    output.Collect($"count {key} = {count.Value}");
                    count.Clear();
                });
                return;
            }

            context.GetBroadcastState(Rules).Put(value.Name, value.Value);
            output.Collect($"rule {value.Name}={value.Value} on subtask {_subtask}");
        }
    }

    /// <summary>Keeps the multiples of the broadcast divisor; acknowledges each divisor with its negation.</summary>
    private sealed class MultiplesOnly : BroadcastProcessFunction<int, int, int>
    {
        public override void ProcessElement(int value, ReadOnlyContext context, ICollector<int> output)
        {
            if (context.GetBroadcastState(Rules).TryGet("divisor", out var divisor) && value % divisor == 0)
            {
                output.Collect(value);
            }
        }

        public override void ProcessBroadcastElement(int value, Context context, ICollector<int> output)
        {
            context.GetBroadcastState(Rules).Put("divisor", value);
            output.Collect(-value);
        }
    }
}
