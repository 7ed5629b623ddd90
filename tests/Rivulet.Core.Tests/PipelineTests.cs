using System.Collections.Concurrent;
using Rivulet.Core.Api;

namespace Rivulet.Core.Tests;

public sealed class PipelineTests
{
    [Fact]
    public async Task Map_filter_flatmap_and_keyed_reduce_give_exact_results()
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
}
