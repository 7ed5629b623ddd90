using Rivulet.Core.Api.Functions;
using Rivulet.Core.Runtime.Operators;
using Rivulet.Core.State;

namespace Rivulet.Core.Tests.Harness;

/// <summary>
/// Operator-level tests in Flink's harness style: no threads, no job — elements, watermarks and
/// processing time go in by hand, and what comes out is checked in order.
/// </summary>
public sealed class OperatorHarnessTests
{
    [Fact]
    public void Keyed_co_process_timers_fire_at_the_watermark_before_it_goes_on_and_state_is_shared_by_both_inputs()
    {
        using var harness = new OperatorTestHarness<string>(
            output => new KeyedCoProcessOperator<string, string, string, string>(new Remember(), v => v.Split(':')[0], v => v.Split(':')[0], output),
            OperatorTestHarness<string>.Keyed<string>());

        harness.ProcessElement1<string, string>("a:x", 5);
        harness.ProcessElement2("", "a:y", 6);
        harness.ProcessWatermark(14);
        Assert.Equal(["W14"], harness.Output.Events);

        harness.ProcessWatermark(15);
        Assert.Equal(["W14", "a saw x,y at 15", "W15"], harness.Output.Events);
        Assert.Equal(15, harness.Output.Records.Single().Timestamp);
    }

    [Fact]
    public void Processing_time_timers_fire_when_the_clock_gets_there()
    {
        using var harness = new OperatorTestHarness<string>(
            output => new KeyedCoProcessOperator<string, string, string, string>(new Remember(processingTime: true), v => v.Split(':')[0], v => v.Split(':')[0], output),
            OperatorTestHarness<string>.Keyed<string>());

        harness.ProcessElement1<string, string>("a:x", 5);
        harness.AdvanceProcessingTime(TimeSpan.FromSeconds(9));
        Assert.Empty(harness.Output.Records);
        harness.AdvanceProcessingTime(TimeSpan.FromSeconds(1));
        Assert.Equal(["a saw x at processing time"], harness.Output.Events);
    }

    [Fact]
    public void An_interval_join_drops_its_buffers_once_the_watermark_passes_and_keeps_no_empty_keys()
    {
        using var harness = new OperatorTestHarness<string>(
            output => new IntervalJoinOperator<string, string, string, string>(new Pair(), 0, 10, v => v[..1], v => v[..1], output),
            OperatorTestHarness<string>.Keyed<string>());

        harness.ProcessElement1<string, string>("a1", 100);
        harness.ProcessElement2("", "a2", 105);
        Assert.Equal(["a1+a2"], harness.Output.Events);
        Assert.Equal(2, BufferedKeys(harness));

        harness.ProcessWatermark(110);
        Assert.Equal(1, BufferedKeys(harness));  // the right side goes first: no left element can meet it any more
        harness.ProcessWatermark(111);
        Assert.Equal(0, BufferedKeys(harness));
    }

    [Fact]
    public void Ordered_async_results_wait_for_their_predecessors_and_calls_in_flight_move_with_a_snapshot()
    {
        var calls = new Dictionary<string, TaskCompletionSource<IReadOnlyCollection<string>>>();
        byte[] snapshot;
        using (var harness = new OperatorTestHarness<string>(output => new AsyncWaitOperator<string, string>(new Pending(calls), TimeSpan.FromHours(1), 10, ordered: true, output)))
        {
            harness.ProcessElement("a", 1);
            harness.ProcessWatermark(1);
            harness.ProcessElement("b", 2);
            harness.ProcessElement("c", 3);
            calls["b"].SetResult(["B"]);
            harness.RunMail();
            Assert.Empty(harness.Output.Events);

            calls["a"].SetResult(["A"]);
            WaitForMail(harness, () => harness.Output.Events.Count == 3);
            Assert.Equal(["A", "W1", "B"], harness.Output.Events);
            snapshot = harness.Snapshot();
        }

        // "c" was in flight: a new operator (at parallelism 1) calls again for it.
        calls.Clear();
        using var restored = new OperatorTestHarness<string>(output => new AsyncWaitOperator<string, string>(new Pending(calls), TimeSpan.FromHours(1), 10, ordered: true, output), restoreFrom: [snapshot]);
        Assert.Equal(["c"], calls.Keys);
        calls["c"].SetResult(["C"]);
        WaitForMail(restored, () => restored.Output.Records.Count == 1);
        Assert.Equal([("C", 3L)], restored.Output.Records);
    }

    [Fact]
    public void An_element_waiting_for_room_in_a_full_async_queue_is_part_of_a_checkpoint_taken_meanwhile()
    {
        var calls = new Dictionary<string, TaskCompletionSource<IReadOnlyCollection<string>>>();
        byte[]? snapshot = null;
        using (var harness = new OperatorTestHarness<string>(output => new AsyncWaitOperator<string, string>(new Pending(calls), TimeSpan.FromHours(1), 1, ordered: true, output)))
        {
            harness.ProcessElement("a", 1);
            // While "b" waits for room, mail runs: a checkpoint (as a chained source's trigger would), then "a" completes.
            harness.Operator.Context.Mailbox.Post(() => snapshot = harness.Snapshot());
            harness.Operator.Context.Mailbox.Post(() => calls["a"].SetResult(["A"]));
            harness.ProcessElement("b", 2);
            Assert.Equal(["A"], harness.Output.Events);
        }

        calls.Clear();
        using var restored = new OperatorTestHarness<string>(output => new AsyncWaitOperator<string, string>(new Pending(calls), TimeSpan.FromHours(1), 10, ordered: true, output), restoreFrom: [snapshot!]);
        Assert.Equal(["a", "b"], calls.Keys.Order());
    }

    [Fact]
    public void Keyed_state_touched_while_processing_a_broadcast_element_fails_instead_of_changing_the_last_key()
    {
        using var harness = new OperatorTestHarness<string>(
            output => new KeyedBroadcastProcessOperator<string, string, string, string>(new CountsEverything(), v => v, new BroadcastStates(["rules"]), output),
            OperatorTestHarness<string>.Keyed<string>());
        harness.ProcessElement1<string, string>("a", 1);

        var error = Assert.Throws<InvalidOperationException>(() => harness.ProcessElement2("", "rule", 2));

        Assert.Contains("without a current key", error.Message, StringComparison.Ordinal);
        Assert.Contains("ApplyToKeyedState", error.Message, StringComparison.Ordinal);
        harness.ProcessElement1<string, string>("a", 3);  // the next keyed element has its key again
        Assert.Equal(["a: 1", "a: 2"], harness.Output.Events);
    }

    private static int BufferedKeys(OperatorTestHarness<string> harness)
    {
        var backend = (HeapKeyedStateBackend<string>)harness.Operator.Context.KeyedBackend!;
        var keys = 0;
        backend.ForEachKey(new MapStateDescriptor<long, List<string>>("interval-join-left"), _ => keys++);
        backend.ForEachKey(new MapStateDescriptor<long, List<string>>("interval-join-right"), _ => keys++);
        return keys;
    }

    /// <summary>Completions arrive from the thread pool as mail: run it until <paramref name="done"/> (with a deadline).</summary>
    private static void WaitForMail(OperatorTestHarness<string> harness, Func<bool> done)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!done())
        {
            Assert.True(DateTime.UtcNow < deadline, "the completion's mail did not arrive");
            harness.Operator.Context.Mailbox.Yield(TimeSpan.FromMilliseconds(50));
        }
    }

    /// <summary>Keeps what both inputs said for a key; a timer ten after the first element reports it.</summary>
    private sealed class Remember(bool processingTime = false) : KeyedCoProcessFunction<string, string, string, string>, IRichFunction
    {
        private IListState<string>? _seen;

        public void Open(IRuntimeContext context) => _seen = context.GetListState(new ListStateDescriptor<string>("seen"));

        public void Close()
        {
        }

        public override void ProcessElement1(string value, Context context, ICollector<string> output)
        {
            _seen!.Add(value.Split(':')[1]);
            if (processingTime)
            {
                context.TimerService.RegisterProcessingTimeTimer(context.CurrentProcessingTime + 10_000);
            }
            else
            {
                context.TimerService.RegisterEventTimeTimer(context.Timestamp!.Value + 10);
            }
        }

        public override void ProcessElement2(string value, Context context, ICollector<string> output) => _seen!.Add(value.Split(':')[1]);

        public override void OnTimer(long timestamp, OnTimerContext context, ICollector<string> output) =>
            output.Collect($"{context.CurrentKey} saw {string.Join(',', _seen!.Get())} at {(context.TimeDomain == Time.TimeDomain.EventTime ? timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture) : "processing time")}");
    }

    /// <summary>Counts a key's elements — and wrongly also tries to on broadcast elements.</summary>
    private sealed class CountsEverything : KeyedBroadcastProcessFunction<string, string, string, string>, IRichFunction
    {
        private IValueState<int>? _count;

        public void Open(IRuntimeContext context) => _count = context.GetState(new ValueStateDescriptor<int>("count"));

        public void Close()
        {
        }

        public override void ProcessElement(string value, ReadOnlyContext context, ICollector<string> output)
        {
            _count!.Value++;
            output.Collect($"{context.CurrentKey}: {_count.Value}");
        }

        public override void ProcessBroadcastElement(string value, Context context, ICollector<string> output) => _count!.Value++;
    }

    private sealed class Pair : ProcessJoinFunction<string, string, string>
    {
        public override void ProcessElement(string left, string right, Context context, ICollector<string> output) => output.Collect($"{left}+{right}");
    }

    /// <summary>Each call waits for the test to complete it.</summary>
    private sealed class Pending(Dictionary<string, TaskCompletionSource<IReadOnlyCollection<string>>> calls) : IAsyncFunction<string, string>
    {
        public Task<IReadOnlyCollection<string>> InvokeAsync(string input, CancellationToken cancellationToken)
        {
            var call = new TaskCompletionSource<IReadOnlyCollection<string>>(TaskCreationOptions.RunContinuationsAsynchronously);
            calls[input] = call;
            return call.Task;
        }
    }
}
