using Rivulet.Connectors.Kafka.Source;
using Rivulet.Core.Api;
using Rivulet.Core.Api.Functions;
using Rivulet.Core.Recovery;

namespace Rivulet.Benchmarks.Kafka;

/// <summary>The source benchmark's subject: KafkaConsumer at parallelism 1 into a discarding sink, until every record arrived.</summary>
internal static class RivuletSourceRun
{
    public static async Task<BenchmarkFigure> RunAsync(string bootstrap, string topic, long records, CancellationToken cancellationToken)
    {
        var properties = new Dictionary<string, string>
        {
            ["bootstrap.servers"] = bootstrap,
            ["group.id"] = "bench-source-" + Guid.NewGuid().ToString("N"),
        };
        var clock = new ArrivalClock(records);
        var env = StreamExecutionEnvironment.GetExecutionEnvironment()
            .SetParallelism(1)
            .SetRestartStrategy(RestartStrategy.None());
        env.AddSource(new KafkaConsumer<byte[]>(topic, new RawBytesSchema(), properties).SetStartFromEarliest(), "Kafka source")
            .AddSink(new ArrivalSink(clock), "Discard");

        var job = env.Start("bench-source");
        var finished = await Task.WhenAny(clock.AllArrived, job.Completion).WaitAsync(TimeSpan.FromMinutes(5), cancellationToken);
        await job.CancelAsync();
        try
        {
            await job.Completion;
        }
        catch (OperationCanceledException)
        {
        }

        if (finished != clock.AllArrived)
        {
            throw new InvalidOperationException($"the job ended after {clock.Arrived} of {records} records");
        }

        return new BenchmarkFigure("rivulet KafkaConsumer p=1 -> discarding sink", clock.TimedRecords, clock.Elapsed);
    }

    /// <summary>Drops every record after counting it (the sink is chained to the source: one thread).</summary>
    private sealed class ArrivalSink(ArrivalClock clock) : ISinkFunction<byte[]>
    {
        public void Invoke(byte[] value, ISinkContext context) => clock.Arrive();
    }
}
