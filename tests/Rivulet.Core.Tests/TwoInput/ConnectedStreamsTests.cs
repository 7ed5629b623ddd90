using System.Collections.Concurrent;
using Rivulet.Core.Api;
using Rivulet.Core.Api.Functions;
using Rivulet.Core.State;
using Rivulet.Core.Tests.EventTime;

namespace Rivulet.Core.Tests.TwoInput;

/// <summary>
/// Two-input operators (Flink's <c>connect</c>): both inputs reach one function; keyed, they share
/// keyed state and timers; the watermark is the minimum of both inputs; state restores at another
/// parallelism.
/// </summary>
public sealed class ConnectedStreamsTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Co_map_and_co_flat_map_see_every_element_of_both_inputs_of_different_types()
    {
        var mapped = new CollectingSink<string>();
        var flatMapped = new CollectingSink<string>();
        var env = StreamExecutionEnvironment.GetExecutionEnvironment().SetParallelism(2);
        var numbers = env.FromCollection(Enumerable.Range(0, 5));
        var words = env.FromCollection(["a", "b", "c"]);
        numbers.Connect(words).Map(n => $"n{n}", w => $"w{w}").AddSink(mapped);
        numbers.Connect(words).FlatMap(new Repeat()).AddSink(flatMapped);

        await env.ExecuteAsync("co-map", TestContext.Current.CancellationToken);

        Assert.Equal(["n0", "n1", "n2", "n3", "n4", "wa", "wb", "wc"], mapped.Values.Order());
        Assert.Equal(["a", "b", "c", "c", "n1", "n2", "n2", "n3", "n3", "n3", "n4", "n4", "n4", "n4"], flatMapped.Values.Order());
    }

    [Fact]
    public async Task Keyed_co_process_shares_state_between_inputs_and_restores_it_at_another_parallelism()
    {
        var directory = TestEnvironments.TempDirectory();
        try
        {
            // First run, parallelism 2: customers 0..9 and orders for them; orders of customer 10 wait for it.
            var first = new CollectingSink<string>();
            var env = TestEnvironments.WithCheckpoints(directory, parallelism: 2, intervalMs: 1_000_000);
            Enrichment(env, customers: Enumerable.Range(0, 10), orders: [.. Enumerable.Range(0, 10).Select(c => (c, c * 10)), (10, 1), (10, 2)], first);
            var job = env.Start("enrich-before");
            await Wait.UntilAsync(() => first.Values.Count >= 10, Deadline, "the first run's enriched orders");
            var savepoint = await job.TriggerSavepointAsync(Path.Combine(directory, "savepoint"));
            await job.CancelAsync();
            Assert.Equal(Enumerable.Range(0, 10).Select(c => $"order {c * 10} of customer-{c}").Order(), first.Values.Order());

            // Restored at parallelism 3: known customers come from state; customer 10's waiting orders too.
            var second = new CollectingSink<string>();
            var restored = TestEnvironments.WithCheckpoints(directory, parallelism: 3, intervalMs: 1_000_000).SetStateRestorePath(savepoint.Directory);
            Enrichment(restored, customers: [10], orders: [.. Enumerable.Range(0, 10).Select(c => (c, c * 10 + 1))], second);
            var rejob = restored.Start("enrich-after");
            await Wait.UntilAsync(() => second.Values.Count >= 12, Deadline, "the restored run's enriched orders");
            await rejob.CancelAsync();

            Assert.Equal(
                Enumerable.Range(0, 10).Select(c => $"order {c * 10 + 1} of customer-{c}").Concat(["order 1 of customer-10", "order 2 of customer-10"]).Order(),
                second.Values.Order());
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task The_watermark_of_a_two_input_operator_is_the_minimum_of_both_inputs()
    {
        var output = new CollectingSink<string>();
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var env = StreamExecutionEnvironment.GetExecutionEnvironment().SetParallelism(1);
        var ahead = env.AddSource(new ScriptedSource<long>(_ =>
            [new SourceStep<long>.Element(1, 100), new SourceStep<long>.Watermark(1_000), new SourceStep<long>.Element(2, 1_000)], keepRunning: true));
        var behind = env.AddSource(new ScriptedSource<string>(_ =>
            [new SourceStep<string>.Watermark(500), new SourceStep<string>.WaitFor(gate), new SourceStep<string>.Watermark(700)], keepRunning: true));
        ahead.KeyBy(_ => "k").Connect(behind.KeyBy(_ => "k")).Process(new TimerAt600()).AddSink(output);
        var job = env.Start("two-input-watermark");
        try
        {
            // The element after the first input's watermark 1000 arrived: the second input still holds the watermark at 500 at most.
            await Wait.UntilAsync(() => output.Values.Any(v => v.StartsWith("after", StringComparison.Ordinal)), Deadline, "the first input's second element");
            var after = Assert.Single(output.Values);
            Assert.True(after is "after 1000 at watermark 500" or "after 1000 at watermark " + nameof(long.MinValue), $"the timer at 600 must wait for the second input; got '{after}'");

            gate.SetResult();
            await Wait.UntilAsync(() => output.Values.Contains("timer 600 for k"), Deadline, "the timer once the second input passed 600");
            Assert.Equal([after, "timer 600 for k"], output.Values);
        }
        finally
        {
            await job.CancelAsync();
        }
    }

    private static void Enrichment(StreamExecutionEnvironment env, IEnumerable<int> customers, IReadOnlyList<(int Customer, int Amount)> orders, CollectingSink<string> sink)
    {
        var customerList = customers.ToList();
        var customerStream = env.AddSource(new ScriptedSource<int>(_ => customerList.Select(c => new SourceStep<int>.Element(c, 0)), keepRunning: true)).SetParallelism(1).Uid("customers");
        var orderStream = env.AddSource(new ScriptedSource<(int Customer, int Amount)>(_ => orders.Select(o => new SourceStep<(int, int)>.Element(o, 0)), keepRunning: true)).SetParallelism(1).Uid("orders");
        orderStream.KeyBy(o => o.Customer)
            .Connect(customerStream.KeyBy(c => c))
            .Process(new EnrichOrders()).Uid("enrich")
            .AddSink(sink);
    }

    /// <summary>Emits each number n times, each word once and "c" twice.</summary>
    private sealed class Repeat : ICoFlatMapFunction<int, string, string>
    {
        public void FlatMap1(int value, ICollector<string> output)
        {
            for (var i = 0; i < value; i++)
            {
                output.Collect($"n{value}");
            }
        }

        public void FlatMap2(string value, ICollector<string> output)
        {
            output.Collect(value);
            if (value == "c")
            {
                output.Collect(value);
            }
        }
    }

    /// <summary>Orders (first input) joined with the customer (second input) of their key, both kept in keyed state.</summary>
    private sealed class EnrichOrders : KeyedCoProcessFunction<int, (int Customer, int Amount), int, string>, IRichFunction
    {
        private IValueState<string?>? _customer;
        private IListState<int>? _waiting;

        public void Open(IRuntimeContext context)
        {
            _customer = context.GetState(new ValueStateDescriptor<string?>("customer"));
            _waiting = context.GetListState(new ListStateDescriptor<int>("waiting-orders"));
        }

        public void Close()
        {
        }

        public override void ProcessElement1((int Customer, int Amount) value, Context context, ICollector<string> output)
        {
            if (_customer!.Value is { } name)
            {
                output.Collect($"order {value.Amount} of {name}");
            }
            else
            {
                _waiting!.Add(value.Amount);
            }
        }

        public override void ProcessElement2(int value, Context context, ICollector<string> output)
        {
            var name = $"customer-{context.CurrentKey}";
            _customer!.Value = name;
            foreach (var amount in _waiting!.Get())
            {
                output.Collect($"order {amount} of {name}");
            }

            _waiting.Clear();
        }
    }

    /// <summary>Registers an event-time timer at 600 on the first input's first element; reports the watermark seen by its second.</summary>
    private sealed class TimerAt600 : KeyedCoProcessFunction<string, long, string, string>
    {
        public override void ProcessElement1(long value, Context context, ICollector<string> output)
        {
            if (value == 1)
            {
                context.TimerService.RegisterEventTimeTimer(600);
            }
            else
            {
                var watermark = context.TimerService.CurrentWatermark;
                output.Collect($"after {context.Timestamp} at watermark {(watermark == long.MinValue ? nameof(long.MinValue) : watermark)}");
            }
        }

        public override void ProcessElement2(string value, Context context, ICollector<string> output)
        {
        }

        public override void OnTimer(long timestamp, OnTimerContext context, ICollector<string> output) => output.Collect($"timer {timestamp} for {context.CurrentKey}");
    }
}
