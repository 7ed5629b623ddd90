using Microsoft.Extensions.Logging;
using Rivulet.Connectors.Kafka;
using Rivulet.Connectors.Kafka.Sink;
using Rivulet.Connectors.Kafka.Source;
using Rivulet.Core.Api;
using Rivulet.Core.Recovery;

namespace Rivulet.Cli.Demo;

/// <summary>
/// The demo job: Kafka source → key by record key → per-key count in keyed state → Kafka sink.
/// It resumes from the latest completed checkpoint in its directory, so a killed and restarted
/// process continues where the last checkpoint left it.
/// </summary>
internal static class DemoPipeline
{
    public static StreamExecutionEnvironment Build(DemoSettings settings, ILoggerFactory loggerFactory)
    {
        var env = StreamExecutionEnvironment.GetExecutionEnvironment(loggerFactory)
            .SetParallelism(settings.Parallelism)
            .EnableCheckpointing(settings.CheckpointIntervalMs)
            .SetResumeFromLatestCheckpoint()
            .SetRestartStrategy(RestartStrategy.FixedDelay(int.MaxValue, TimeSpan.FromMilliseconds(500)));
        env.CheckpointConfig.CheckpointDirectory = settings.CheckpointDirectory;
        env.CheckpointConfig.NumberOfRetainedCheckpoints = 2;

        var sourceProperties = new Dictionary<string, string>
        {
            ["bootstrap.servers"] = settings.BootstrapServers,
            ["group.id"] = settings.GroupId,
            ["auto.offset.reset"] = "earliest",
        };
        var sinkProperties = new Dictionary<string, string>
        {
            ["bootstrap.servers"] = settings.BootstrapServers,
            ["transaction.timeout.ms"] = settings.TransactionTimeoutMs.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["linger.ms"] = "5",
        };

        var source = new KafkaConsumer<DemoInput>(settings.InputTopicName, new DemoInputSchema(), sourceProperties);
        if (settings.StartOffsets is { } offsets)
        {
            source.SetStartFromSpecificOffsets(offsets.ToDictionary(o => new KafkaTopicPartition(settings.InputTopicName, o.Key), o => o.Value));
        }

        env.AddSource(source, "Kafka source")
            .Uid("demo-source")
            .KeyBy(r => r.Key)
            .Process(new KeyCounter())
            .Name("count per key")
            .Uid("demo-counter")
            .AddSink(new KafkaProducer<DemoOutput>(settings.OutputTopicName, new DemoOutputSchema(), sinkProperties, settings.Semantic)
                .SetTransactionalIdPrefix("rivulet-demo")
                .WithCrashPoints(EnvironmentCrashPoints.FromEnvironment()), "Kafka sink")
            .Uid("demo-sink");
        return env;
    }
}
