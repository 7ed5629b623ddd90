using System.Collections.Concurrent;
using Rivulet.Core.Api;

namespace Rivulet.Core.Tests;

public sealed class PipelineTests
{
    [Fact]
    public async Task Map_filter_flatmap_and_keyed_sum_give_exact_results()
    {
        var env = StreamExecutionEnvironment.GetExecutionEnvironment().SetParallelism(2);
        var sink = new CollectingSink<KeyValuePair<string, long>>();
        env.FromCollection(Enumerable.Range(0, 1000))
            .Map(i => (long)i)
            .Filter(i => i % 3 != 0)
            .FlatMap<long>((i, output) =>
            {
                output.Collect(i);
                output.Collect(i);
            })
            .KeyBy(i => $"k{i % 7}")
            .Sum(i => i)
            .AddSink(sink);

        var job = await env.ExecuteAsync("pipeline", TestContext.Current.CancellationToken);
        await job.Completion;

        var finals = sink.Values.GroupBy(kv => kv.Key).ToDictionary(g => g.Key, g => g.Max(kv => kv.Value));
        var expected = Enumerable.Range(0, 1000).Where(i => i % 3 != 0).GroupBy(i => $"k{i % 7}").ToDictionary(g => g.Key, g => 2L * g.Sum(i => (long)i));
        Assert.Equal(expected.OrderBy(kv => kv.Key), finals.OrderBy(kv => kv.Key));
        Assert.Equal(2 * Enumerable.Range(0, 1000).Count(i => i % 3 != 0), sink.Values.Count);
    }

    [Fact]
    public async Task Rolling_reduce_min_and_max_emit_the_running_value_per_key()
    {
        var env = StreamExecutionEnvironment.GetExecutionEnvironment().SetParallelism(2);
        var reduced = new CollectingSink<long>();
        var minimums = new CollectingSink<KeyValuePair<string, long>>();
        var maximums = new CollectingSink<KeyValuePair<string, long>>();
        long[] values = [5, 3, 8, 1, 9, 2];
        var numbers = env.FromCollection(values);
        numbers.KeyBy(_ => "all").Reduce((a, b) => a * 10 + b).SetParallelism(1).AddSink(reduced).SetParallelism(1);
        numbers.KeyBy(v => v % 2 == 0 ? "even" : "odd").Min(v => v).AddSink(minimums);
        numbers.KeyBy(v => v % 2 == 0 ? "even" : "odd").Max(v => v).AddSink(maximums);

        await (await env.ExecuteAsync("rolling", TestContext.Current.CancellationToken)).Completion;

        Assert.Equal([5L, 53, 538, 5381, 53819, 538192], reduced.Values.ToList());
        // Per key, in input order: odd 5, 3, 1, 9 and even 8, 2.
        Assert.Equal(["even=2", "even=8", "odd=1", "odd=1", "odd=3", "odd=5"], minimums.Values.Select(kv => $"{kv.Key}={kv.Value}").Order().ToList());
        Assert.Equal(["even=8", "even=8", "odd=5", "odd=5", "odd=5", "odd=9"], maximums.Values.Select(kv => $"{kv.Key}={kv.Value}").Order().ToList());
    }

    [Fact]
    public async Task Broadcast_sends_every_element_to_every_subtask_and_shuffle_to_one()
    {
        var env = StreamExecutionEnvironment.GetExecutionEnvironment().SetParallelism(3);
        var broadcast = new CollectingSink<string>();
        var shuffled = new CollectingSink<string>();
        var numbers = env.FromCollection(Enumerable.Range(0, 300));
        numbers.Broadcast().Map(new TagWithSubtask()).AddSink(broadcast);
        numbers.Shuffle().Map(new TagWithSubtask()).AddSink(shuffled);

        await (await env.ExecuteAsync("partitioners", TestContext.Current.CancellationToken)).Completion;

        // Broadcast: each subtask of the map saw all 300.
        Assert.Equal(900, broadcast.Values.Count);
        Assert.All(broadcast.Values.GroupBy(v => v.Split('@')[1]), g => Assert.Equal(Enumerable.Range(0, 300), g.Select(v => int.Parse(v.Split('@')[0])).Order()));
        // Shuffle: each element once, spread over all three subtasks.
        Assert.Equal(Enumerable.Range(0, 300), shuffled.Values.Select(v => int.Parse(v.Split('@')[0])).Order());
        Assert.Equal(3, shuffled.Values.Select(v => v.Split('@')[1]).Distinct().Count());
    }

    [Fact]
    public async Task Union_merges_streams()
    {
        var env = StreamExecutionEnvironment.GetExecutionEnvironment().SetParallelism(1);
        var sink = new CollectingSink<int>();
        var a = env.FromCollection(Enumerable.Range(0, 100));
        var b = env.FromCollection(Enumerable.Range(100, 100));
        a.Union(b).Map(i => i).SetParallelism(3).AddSink(sink);

        await (await env.ExecuteAsync("union", TestContext.Current.CancellationToken)).Completion;

        Assert.Equal(Enumerable.Range(0, 200), sink.Values.Order());
    }

    [Fact]
    public async Task Print_prefixes_the_subtask_number_when_parallel()
    {
        var env = StreamExecutionEnvironment.GetExecutionEnvironment().SetParallelism(2);
        var writer = new StringWriter();
        env.FromCollection(["a", "b", "c", "d"]).Rebalance().AddSink(new Api.Functions.PrintSinkFunction<string>(writer)).SetParallelism(2);
        var single = new StringWriter();
        env.FromCollection(["x"]).AddSink(new Api.Functions.PrintSinkFunction<string>(single)).SetParallelism(1);

        await (await env.ExecuteAsync("print", TestContext.Current.CancellationToken)).Completion;

        var lines = writer.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(["1> a", "1> c", "2> b", "2> d"], lines.Order());
        Assert.Equal("x", single.ToString().Trim());
    }

    /// <summary>"value@subtask".</summary>
    private sealed class TagWithSubtask : Api.Functions.IMapFunction<int, string>, Api.Functions.IRichFunction
    {
        private int _subtask;

        public void Open(Api.Functions.IRuntimeContext context) => _subtask = context.SubtaskIndex;

        public void Close()
        {
        }

        public string Map(int value) => $"{value}@{_subtask}";
    }
}
