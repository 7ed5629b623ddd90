using System.Runtime.InteropServices;
using Rivulet.Connectors.Kafka.Sink;
using Rivulet.Connectors.Kafka.Sink.Serialization;
using Rivulet.Connectors.Kafka.Source;
using Rivulet.Core.Api;
using Rivulet.Core.Serialization;
using Rivulet.Core.Time;

// Reads INPUT_TOPIC, upper-cases every record and writes it to OUTPUT_TOPIC, exactly once:
//   dotnet run -- BOOTSTRAP_SERVERS [INPUT_TOPIC] [OUTPUT_TOPIC] [CHECKPOINT_DIRECTORY]
// Stop it with Ctrl+C; started again, it resumes from its latest checkpoint.
var bootstrapServers = args.Length > 0 ? args[0] : "localhost:9092";
var inputTopic = args.Length > 1 ? args[1] : "input";
var outputTopic = args.Length > 2 ? args[2] : "output";
var checkpointDirectory = args.Length > 3 ? args[3] : Path.Combine(Environment.CurrentDirectory, "checkpoints");

var env = StreamExecutionEnvironment.GetExecutionEnvironment();
env.SetParallelism(2);
env.EnableCheckpointing(1000);
env.CheckpointConfig.CheckpointDirectory = checkpointDirectory;
env.SetResumeFromLatestCheckpoint();

var source = KafkaSource.Builder<string>()
    .SetBootstrapServers(bootstrapServers)
    .SetTopics(inputTopic)
    .SetGroupId("RivuletJob")
    .SetStartingOffsets(OffsetsInitializer.CommittedOffsets(OffsetResetStrategy.Earliest))
    .SetValueOnlyDeserializer(new SimpleStringSchema())
    .Build();

var sink = KafkaSink.Builder<string>()
    .SetBootstrapServers(bootstrapServers)
    .SetRecordSerializer(KafkaRecordSerializationSchema.Builder<string>()
        .SetTopic(outputTopic)
        .SetValueSerializationSchema(new SimpleStringSchema())
        .Build())
    .SetDeliveryGuarantee(DeliveryGuarantee.ExactlyOnce)
    .SetTransactionalIdPrefix("RivuletJob")
    // Kafka transactions must outlive a restart; keep this below the brokers' transaction.max.timeout.ms.
    .SetProperty("transaction.timeout.ms", "60000")
    .Build();

env.FromSource(source, WatermarkStrategy<string>.NoWatermarks(), "Kafka Source")
    .Map(line => line.ToUpperInvariant())
    .SinkTo(sink);

using var stop = new CancellationTokenSource();
// Ctrl+C and SIGTERM stop the job; ExecuteAsync then returns, and the next start resumes from the
// latest checkpoint.
using var onInterrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
using var onTerminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);

await env.ExecuteAsync("RivuletJob", stop.Token);

void Stop(PosixSignalContext context)
{
    context.Cancel = true;
    stop.Cancel();
}
