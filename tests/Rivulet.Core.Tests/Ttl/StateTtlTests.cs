using Microsoft.Extensions.Time.Testing;
using Rivulet.Core.Api;
using Rivulet.Core.Api.Functions;
using Rivulet.Core.State;
using Rivulet.Core.State.Serialization;
using Rivulet.Core.Tests.EventTime;

namespace Rivulet.Core.Tests.Ttl;

/// <summary>
/// State time-to-live (Flink's <c>StateTtlConfig</c>) on the job's clock: backend-level tests step a fake
/// clock without threads; a job-level test restores TTL state at another parallelism.
/// </summary>
public sealed class StateTtlTests
{
    private static readonly TimeSpan Ttl = TimeSpan.FromMinutes(10);
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero));

    [Fact]
    public void A_value_expires_its_ttl_after_the_last_write_and_reads_refresh_it_only_when_asked()
    {
        var backend = Backend();
        var written = Descriptor<ValueStateDescriptor<string?>>(new("written"), b => b);
        var read = Descriptor<ValueStateDescriptor<string?>>(new("read"), b => b.SetUpdateType(StateTtlUpdateType.OnReadAndWrite));
        var onWrite = backend.GetState(written);
        var onRead = backend.GetState(read);
        backend.SetCurrentKey("k");
        onWrite.Value = "w";
        onRead.Value = "r";

        _clock.Advance(Ttl / 2);
        Assert.Equal("w", onWrite.Value);
        Assert.Equal("r", onRead.Value);  // restarts its time to live
        _clock.Advance(Ttl / 2);

        Assert.Null(onWrite.Value);
        Assert.Equal("r", onRead.Value);
        _clock.Advance(Ttl);
        Assert.Null(onRead.Value);
    }

    [Fact]
    public void List_elements_and_map_entries_expire_one_by_one()
    {
        var backend = Backend();
        var list = backend.GetListState(Descriptor<ListStateDescriptor<int>>(new("list"), b => b));
        var map = backend.GetMapState(Descriptor<MapStateDescriptor<string, int>>(new("map"), b => b));
        backend.SetCurrentKey("k");
        list.Add(1);
        map.Put("a", 1);
        _clock.Advance(Ttl / 2);
        list.Add(2);
        map.Put("b", 2);
        _clock.Advance(Ttl / 2);

        Assert.Equal([2], list.Get());
        Assert.Equal(["b"], map.Entries().Select(e => e.Key));
        Assert.False(map.Contains("a"));
    }

    [Fact]
    public void Expired_entries_are_returned_until_cleaned_up_when_visible_and_full_snapshots_leave_them_out()
    {
        var backend = Backend();
        var kept = backend.GetState(Descriptor<ValueStateDescriptor<string?>>(new("kept"), b => b.SetStateVisibility(StateVisibility.ReturnExpiredIfNotCleanedUp)));
        var cleaned = backend.GetState(Descriptor<ValueStateDescriptor<string?>>(new("cleaned"), b => b.SetStateVisibility(StateVisibility.ReturnExpiredIfNotCleanedUp).CleanupFullSnapshot()));
        backend.SetCurrentKey("k");
        kept.Value = "old";
        cleaned.Value = "old";
        _clock.Advance(Ttl * 2);
        Assert.Equal("old", kept.Value);
        Assert.Equal("old", cleaned.Value);

        var restored = Restore(backend);
        var keptAfter = restored.GetState(Descriptor<ValueStateDescriptor<string?>>(new("kept"), b => b.SetStateVisibility(StateVisibility.ReturnExpiredIfNotCleanedUp)));
        var cleanedAfter = restored.GetState(Descriptor<ValueStateDescriptor<string?>>(new("cleaned"), b => b.SetStateVisibility(StateVisibility.ReturnExpiredIfNotCleanedUp).CleanupFullSnapshot()));
        restored.SetCurrentKey("k");

        Assert.Equal("old", keptAfter.Value);
        Assert.Null(cleanedAfter.Value);
    }

    [Fact]
    public void Incremental_cleanup_removes_expired_keys_a_few_at_a_time()
    {
        var backend = Backend();
        var descriptor = Descriptor<ValueStateDescriptor<int>>(new("counts"), b => b.SetStateVisibility(StateVisibility.ReturnExpiredIfNotCleanedUp).CleanupIncrementally(3, runCleanupForEveryRecord: true));
        var counts = backend.GetState(descriptor);
        for (var k = 0; k < 9; k++)
        {
            backend.SetCurrentKey($"k{k}");
            counts.Value = k;
        }

        _clock.Advance(Ttl);
        Assert.Equal(9, KeysOf(backend, descriptor));
        backend.SetCurrentKey("k0");  // a record: one step, at most three keys checked
        Assert.InRange(KeysOf(backend, descriptor), 6, 9);
        for (var step = 0; step < 4; step++)
        {
            backend.SetCurrentKey("k1");
        }

        Assert.Equal(0, KeysOf(backend, descriptor));
    }

    [Fact]
    public void State_checkpointed_without_ttl_cannot_be_restored_with_it_nor_the_other_way_round()
    {
        var plain = Backend();
        var state = plain.GetState(new ValueStateDescriptor<int>("count"));
        plain.SetCurrentKey("k");
        state.Value = 1;

        var error = Assert.Throws<InvalidOperationException>(() => Restore(plain).GetState(Descriptor<ValueStateDescriptor<int>>(new("count"), b => b)));
        Assert.Contains("state 'count' was checkpointed without a time-to-live", error.Message, StringComparison.Ordinal);

        var withTtl = Backend();
        var ttlState = withTtl.GetState(Descriptor<ValueStateDescriptor<int>>(new("count"), b => b));
        withTtl.SetCurrentKey("k");
        ttlState.Value = 1;
        var back = Assert.Throws<InvalidOperationException>(() => Restore(withTtl).GetState(new ValueStateDescriptor<int>("count")));
        Assert.Contains("state 'count' was checkpointed with a time-to-live", back.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ttl_state_keeps_its_age_across_a_restore_at_another_parallelism()
    {
        var directory = TestEnvironments.TempDirectory();
        try
        {
            var first = new CollectingSink<string>();
            var env = TestEnvironments.WithCheckpoints(directory, parallelism: 2, intervalMs: 1_000_000).SetTimeProvider(_clock);
            Pipeline(env, [.. Enumerable.Range(0, 6).Select(k => new SourceStep<string>.Element($"k{k}", 0))], first);
            var job = env.Start("ttl-before");
            await Wait.UntilAsync(() => first.Values.Count == 6, TimeSpan.FromSeconds(30), "the first counts");
            var savepoint = await job.TriggerSavepointAsync(Path.Combine(directory, "savepoint"));
            await job.CancelAsync();

            // Restored at parallelism 3: keys seen within the TTL continue, the others start again.
            _clock.Advance(TimeSpan.FromMinutes(9));
            var second = new CollectingSink<string>();
            var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var restored = TestEnvironments.WithCheckpoints(directory, parallelism: 3, intervalMs: 1_000_000).SetTimeProvider(_clock).SetStateRestorePath(savepoint.Directory);
            Pipeline(restored, [.. new[] { "k0", "k1", "k2" }.Select(k => new SourceStep<string>.Element(k, 0)), new SourceStep<string>.WaitFor(gate), .. new[] { "k3", "k4", "k5" }.Select(k => new SourceStep<string>.Element(k, 0))], second);
            var rejob = restored.Start("ttl-after");
            await Wait.UntilAsync(() => second.Values.Count == 3, TimeSpan.FromSeconds(30), "the counts within the TTL");
            _clock.Advance(TimeSpan.FromMinutes(2));
            gate.SetResult();
            await Wait.UntilAsync(() => second.Values.Count == 6, TimeSpan.FromSeconds(30), "the counts after the TTL");
            await rejob.CancelAsync();

            Assert.Equal(["k0: 2", "k1: 2", "k2: 2", "k3: 1", "k4: 1", "k5: 1"], second.Values.Order());
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static void Pipeline(StreamExecutionEnvironment env, List<SourceStep<string>> keys, CollectingSink<string> sink) =>
        env.AddSource(new ScriptedSource<string>(_ => keys, keepRunning: true)).SetParallelism(1).Uid("keys")
            .KeyBy(k => k)
            .Process(new CountWithTtl()).Uid("count")
            .AddSink(sink);

    private static T Descriptor<T>(T descriptor, Func<StateTtlConfig.Builder, StateTtlConfig.Builder> configure)
        where T : StateDescriptor
    {
        descriptor.EnableTimeToLive(configure(StateTtlConfig.NewBuilder(Ttl)).Build());
        return descriptor;
    }

    private HeapKeyedStateBackend<string> Backend()
    {
        var backend = new HeapKeyedStateBackend<string>("test", TypeSerializers.For<string>("test"), 128, new KeyGroupRange(0, 127));
        backend.UseClock(_clock);
        return backend;
    }

    private HeapKeyedStateBackend<string> Restore(HeapKeyedStateBackend<string> from)
    {
        using var buffer = new MemoryStream();
        using (var writer = new BinaryWriter(buffer, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            from.Snapshot(writer);
        }

        var restored = Backend();
        buffer.Position = 0;
        using var reader = new BinaryReader(buffer);
        restored.Restore(reader);
        return restored;
    }

    private static int KeysOf(HeapKeyedStateBackend<string> backend, StateDescriptor descriptor)
    {
        var count = 0;
        backend.ForEachKey(descriptor, _ => count++);
        return count;
    }

    /// <summary>Counts each key's elements in a value state that lives ten minutes.</summary>
    private sealed class CountWithTtl : KeyedProcessFunction<string, string, string>, IRichFunction
    {
        private IValueState<int>? _count;

        public void Open(IRuntimeContext context)
        {
            var descriptor = new ValueStateDescriptor<int>("count");
            descriptor.EnableTimeToLive(StateTtlConfig.NewBuilder(Ttl).Build());
            _count = context.GetState(descriptor);
        }

        public void Close()
        {
        }

        public override void ProcessElement(string value, Context context, ICollector<string> output)
        {
            _count!.Value++;
            output.Collect($"{context.CurrentKey}: {_count.Value}");
        }
    }
}
