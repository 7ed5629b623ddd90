using Rivulet.Core.Api;
using Rivulet.Core.Api.Functions;
using Rivulet.Core.Recovery;
using Rivulet.Core.State;

namespace Rivulet.Core.Tests;

public sealed class BadUsageTests
{
    [Fact]
    public void A_null_function_fails_where_the_job_is_defined_naming_the_argument()
    {
        var stream = StreamExecutionEnvironment.GetExecutionEnvironment().FromCollection([1]);
        var keyed = stream.KeyBy(v => v);

        Assert.Equal("map", Assert.Throws<ArgumentNullException>(() => stream.Map((Func<int, int>)null!)).ParamName);
        Assert.Equal("function", Assert.Throws<ArgumentNullException>(() => stream.Map((IMapFunction<int, int>)null!)).ParamName);
        Assert.Equal("flatMap", Assert.Throws<ArgumentNullException>(() => stream.FlatMap((Action<int, ICollector<int>>)null!)).ParamName);
        Assert.Equal("filter", Assert.Throws<ArgumentNullException>(() => stream.Filter((Func<int, bool>)null!)).ParamName);
        Assert.Equal("function", Assert.Throws<ArgumentNullException>(() => stream.Process((ProcessFunction<int, int>)null!)).ParamName);
        Assert.Equal("sink", Assert.Throws<ArgumentNullException>(() => stream.AddSink((Action<int>)null!)).ParamName);
        Assert.Equal("reduce", Assert.Throws<ArgumentNullException>(() => keyed.Reduce((Func<int, int, int>)null!)).ParamName);
        Assert.Equal("function", Assert.Throws<ArgumentNullException>(() => keyed.Process((KeyedProcessFunction<int, int, int>)null!)).ParamName);
    }

    [Fact]
    public async Task Keyed_state_on_a_non_keyed_stream_fails_naming_the_operator()
    {
        var env = StreamExecutionEnvironment.GetExecutionEnvironment().SetParallelism(1);
        env.FromCollection([1]).Map(new StatefulMap()).Name("counting map").AddSink(_ => { });

        var error = await Assert.ThrowsAsync<JobExecutionException>(async () => await (await env.ExecuteAsync("bad", TestContext.Current.CancellationToken)).Completion);

        Assert.Contains("'counting map'", error.Message);
        Assert.Contains("KeyBy", error.Message);
    }

    [Fact]
    public async Task A_state_type_that_cannot_be_serialized_fails_naming_operator_and_state()
    {
        var env = StreamExecutionEnvironment.GetExecutionEnvironment().SetParallelism(1);
        env.FromCollection([1]).KeyBy(v => v).Process(new InterfaceStateFunction()).Name("holder").AddSink(_ => { });

        var error = await Assert.ThrowsAsync<JobExecutionException>(async () => await (await env.ExecuteAsync("bad", TestContext.Current.CancellationToken)).Completion);

        Assert.Contains("'holder'", error.Message);
        Assert.Contains("'resource'", error.Message);
        Assert.Contains("cannot be serialized", error.Message);
    }

    [Fact]
    public async Task A_state_type_whose_members_json_cannot_read_back_fails_naming_them()
    {
        var env = StreamExecutionEnvironment.GetExecutionEnvironment().SetParallelism(1);
        env.FromCollection([1]).KeyBy(v => v).Process(new PrivateSetterStateFunction()).Name("totals").AddSink(_ => { });

        var error = await Assert.ThrowsAsync<JobExecutionException>(async () => await (await env.ExecuteAsync("bad", TestContext.Current.CancellationToken)).Completion);

        Assert.Contains("'totals'", error.Message);
        Assert.Contains("'total'", error.Message);
        Assert.Contains("Sum", error.Message);
        Assert.Contains("setter", error.Message);
    }

    [Fact]
    public async Task Restoring_state_that_matches_no_operator_fails_naming_the_uid()
    {
        var directory = TestEnvironments.TempDirectory();
        var env = TestEnvironments.WithCheckpoints(directory, intervalMs: 1_000_000);
        env.AddSource(new CountingSource(10)).Uid("old-source-uid").AddSink(_ => { });
        var job = env.Start("uids");
        var savepoint = await job.TriggerSavepointAsync(Path.Combine(directory, "sp"));
        await job.CancelAsync();

        var changed = TestEnvironments.WithCheckpoints(directory, intervalMs: 1_000_000).SetStateRestorePath(savepoint.Directory)
            .SetRestartStrategy(RestartStrategy.None());
        changed.AddSource(new CountingSource(10)).Uid("new-source-uid").AddSink(_ => { });
        // A configuration error, not a failure to restart from: the job fails at once.
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => changed.Start("uids").Completion);

        Assert.Contains("old-source-uid", error.Message);
        Assert.Contains("allowNonRestoredState", error.Message);
    }

    [Fact]
    public void Invalid_configuration_is_refused_with_the_setting_named()
    {
        var env = StreamExecutionEnvironment.GetExecutionEnvironment();
        Assert.Contains("interval", Assert.Throws<ArgumentOutOfRangeException>(() => env.EnableCheckpointing(-5)).Message);
        Assert.Contains("Timeout", Assert.Throws<ArgumentOutOfRangeException>(() => env.CheckpointConfig.Timeout = TimeSpan.Zero).Message);
        Assert.Contains("MaxConcurrentCheckpoints", Assert.Throws<ArgumentOutOfRangeException>(() => env.CheckpointConfig.MaxConcurrentCheckpoints = 0).Message);
        Assert.Contains("max parallelism", Assert.Throws<ArgumentOutOfRangeException>(() => env.SetMaxParallelism(4).FromCollection([1]).Map(v => v).SetParallelism(5)).Message);

        var noDirectory = StreamExecutionEnvironment.GetExecutionEnvironment().EnableCheckpointing(100);
        noDirectory.FromCollection([1]).AddSink(_ => { });
        Assert.Contains("CheckpointDirectory", Assert.Throws<InvalidOperationException>(() => noDirectory.Start("x")).Message);

        var forward = StreamExecutionEnvironment.GetExecutionEnvironment().SetParallelism(2);
        forward.FromCollection([1]).Forward().Map(v => v).SetParallelism(2).AddSink(_ => { });
        Assert.Contains("Forward partitioning", Assert.Throws<InvalidOperationException>(() => forward.Start("x")).Message);
    }

    private sealed class StatefulMap : IMapFunction<int, int>, IRichFunction
    {
        private IValueState<int>? _count;

        public void Open(IRuntimeContext context) => _count = context.GetState(new ValueStateDescriptor<int>("count"));

        public void Close()
        {
        }

        public int Map(int value) => _count!.Value++;
    }

    private sealed class InterfaceStateFunction : KeyedProcessFunction<int, int, int>, IRichFunction
    {
        public void Open(IRuntimeContext context) => context.GetState(new ValueStateDescriptor<IDisposable>("resource"));

        public void Close()
        {
        }

        public override void ProcessElement(int value, Context context, ICollector<int> output) => output.Collect(value);
    }

    /// <summary>A state class JSON would write but not read back: Sum has a private setter.</summary>
    public sealed class RunningTotal
    {
        public long Sum { get; private set; }

        public void Add(long value) => Sum += value;
    }

    private sealed class PrivateSetterStateFunction : KeyedProcessFunction<int, int, int>, IRichFunction
    {
        private IValueState<RunningTotal>? _total;

        public void Open(IRuntimeContext context) => _total = context.GetState(new ValueStateDescriptor<RunningTotal>("total"));

        public void Close()
        {
        }

        public override void ProcessElement(int value, Context context, ICollector<int> output) => output.Collect(value);
    }
}
