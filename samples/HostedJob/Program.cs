using Rivulet.Connectors.Kafka.Sink;
using Rivulet.Connectors.Kafka.Sink.Serialization;
using Rivulet.Connectors.Kafka.Source;
using Rivulet.Core.Serialization;
using Rivulet.Core.Time;
using Rivulet.Extensions.Hosting;

// A Rivulet job as a service: reads Settings:InputTopic, upper-cases every record and writes it to
// Settings:OutputTopic exactly once. Everything it needs comes from appsettings.json, environment
// variables or the command line (for example --Rivulet:Jobs:uppercase:Kafka:bootstrap.servers=HOST:PORT).
// SIGTERM or Ctrl+C stops it with a savepoint; the next start restores it. /healthz answers
// Healthy while the job runs and checkpoints on time.
var builder = WebApplication.CreateBuilder(args);

builder.Services.AddRivuletJob("uppercase", job =>
{
    var input = job.Configuration["InputTopic"] ?? throw new InvalidOperationException("Rivulet:Jobs:uppercase:Settings:InputTopic is missing.");
    var output = job.Configuration["OutputTopic"] ?? throw new InvalidOperationException("Rivulet:Jobs:uppercase:Settings:OutputTopic is missing.");

    var source = KafkaSource.Builder<string>()
        .SetProperties(job.KafkaProperties)
        .SetTopics(input)
        .SetGroupId(job.JobName)
        .SetStartingOffsets(OffsetsInitializer.CommittedOffsets(OffsetResetStrategy.Earliest))
        .SetValueOnlyDeserializer(new SimpleStringSchema())
        .Build();

    var sink = KafkaSink.Builder<string>()
        .SetProperties(job.KafkaProperties)
        .SetRecordSerializer(KafkaRecordSerializationSchema.Builder<string>()
            .SetTopic(output)
            .SetValueSerializationSchema(new SimpleStringSchema())
            .Build())
        .SetDeliveryGuarantee(DeliveryGuarantee.ExactlyOnce)
        .SetTransactionalIdPrefix(job.JobName)
        .Build();

    job.Environment.FromSource(source, WatermarkStrategy<string>.NoWatermarks(), "Kafka Source")
        .Map(line => line.ToUpperInvariant())
        .SinkTo(sink);
});

var app = builder.Build();
app.MapHealthChecks("/healthz");
app.Run();
