using System.Diagnostics;
using Confluent.Kafka;
using Rivulet.Connectors.Kafka.Sink;
using Rivulet.Core.Api;
using Rivulet.Core.Recovery;

namespace Rivulet.Benchmarks.Kafka;

/// <summary>
/// The sink benchmark's subject: a generator into KafkaProducer at parallelism 1 with one semantic
/// and 1 s checkpoints, timed from the first record emitted until the job finished — by then
/// every record is acknowledged (AT_LEAST_ONCE, NONE flush at the end of input) or committed
/// (EXACTLY_ONCE).
/// </summary>
internal static class RivuletSinkRun
{
    public static async Task<(BenchmarkFigure Figure, TopicPartition Target)> RunAsync(
        string bootstrap, string topic, Semantic semantic, long records, byte[] value, CancellationToken cancellationToken)
    {
        var properties = new Dictionary<string, string> { ["bootstrap.servers"] = bootstrap };
        if (semantic == Semantic.ExactlyOnce)
        {
            // Below the test broker's transaction.max.timeout.ms (15 minutes, as Kafka's).
            properties["transaction.timeout.ms"] = "60000";
        }

        var checkpoints = Directory.CreateTempSubdirectory("rivulet-bench-sink-");
        try
        {
            var env = StreamExecutionEnvironment.GetExecutionEnvironment()
                .SetParallelism(1)
                .SetRestartStrategy(RestartStrategy.None())
                .EnableCheckpointing(TimeSpan.FromSeconds(1));
            env.CheckpointConfig.CheckpointDirectory = checkpoints.FullName;
            var started = new ValueGenerator.FirstEmission();
            env.AddSource(new ValueGenerator(records, value, started), "Generator")
                .AddSink(new KafkaProducer<byte[]>(topic, new RawBytesSchema(), properties, semantic), "Kafka sink");

            var cpuBefore = Environment.CpuUsage.TotalTime;
            var job = await env.ExecuteAsync("bench-sink", cancellationToken);
            var finished = Stopwatch.GetTimestamp();
            var cpu = Environment.CpuUsage.TotalTime - cpuBefore;
            cancellationToken.ThrowIfCancellationRequested();
            var name = $"rivulet KafkaProducer p=1 {semantic}";
            var note = $"{job.Metrics.CheckpointsCompleted} checkpoints";

            // The default fixed partitioner sends subtask 0's records to the topic's first partition.
            return (new BenchmarkFigure(name, records, Stopwatch.GetElapsedTime(started.Timestamp, finished), note) { ProcessCpu = cpu }, new TopicPartition(topic, 0));
        }
        finally
        {
            checkpoints.Delete(recursive: true);
        }
    }
}
