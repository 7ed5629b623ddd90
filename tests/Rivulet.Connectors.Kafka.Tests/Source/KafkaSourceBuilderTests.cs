using System.Text;
using System.Text.RegularExpressions;
using Confluent.Kafka;
using Rivulet.Connectors.Kafka.Sink;
using Rivulet.Connectors.Kafka.Sink.Serialization;
using Rivulet.Connectors.Kafka.Source;
using Rivulet.Connectors.Kafka.Tests.Sink;
using Rivulet.Core.Api;
using Rivulet.Core.Serialization;
using Rivulet.Core.Time;
using Rivulet.Testing.Kafka;

namespace Rivulet.Connectors.Kafka.Tests.Source;

/// <summary>
/// Flink 1.14+'s API over the same implementation: <c>KafkaSource.Builder()</c> with
/// <c>env.FromSource</c>, <c>KafkaSink.Builder()</c> with <c>stream.SinkTo</c>, and a bounded source.
/// </summary>
public sealed class KafkaSourceBuilderTests(KafkaTestClusterFixture broker) : IClassFixture<KafkaTestClusterFixture>
{
    [Fact]
    public async Task A_bounded_source_reads_up_to_the_latest_offsets_past_transaction_markers_and_the_job_ends_by_itself()
    {
        var input = KafkaTestClusterFixture.UniqueTopic("builder-in");
        var output = KafkaTestClusterFixture.UniqueTopic("builder-out");
        broker.Cluster.CreateTopic(input, 3);
        broker.Cluster.CreateTopic(output, 2);
        // Committed and aborted transactions: every partition ends with a transaction marker, so no
        // record sits at the last offset before the stopping offset.
        var committed = WriteTransactions(input, committedRecords: 300, abortedRecords: 60);

        var env = JobWait.Checkpointed(parallelism: 2, intervalMs: 100);
        var source = KafkaSource.Builder<string>()
            .SetBootstrapServers(broker.BootstrapServers)
            .SetTopics(input)
            .SetGroupId("g-" + Guid.NewGuid().ToString("N"))
            .SetStartingOffsets(OffsetsInitializer.Earliest())
            .SetBounded(OffsetsInitializer.Latest())
            .SetProperty("isolation.level", "read_committed")
            .SetValueOnlyDeserializer(new SimpleStringSchema())
            .Build();
        var sink = KafkaSink.Builder<string>()
            .SetBootstrapServers(broker.BootstrapServers)
            .SetRecordSerializer(KafkaRecordSerializationSchema.Builder<string>()
                .SetTopic(output)
                .SetValueSerializationSchema(new SimpleStringSchema())
                .Build())
            .SetDeliveryGuarantee(DeliveryGuarantee.ExactlyOnce)
            .SetProperty("transaction.timeout.ms", "60000")
            .SetTransactionalIdPrefix("builder-" + Guid.NewGuid().ToString("N")[..8])
            .Build();
        Assert.True(source.IsBounded);

        env.FromSource(source, WatermarkStrategy<string>.NoWatermarks(), "Kafka Source")
            .Map(v => v.ToUpperInvariant())
            .SinkTo(sink);

        await RunToEndAsync(env.Start("bounded-builder"), TimeSpan.FromSeconds(90));

        var written = SinkTestSupport.ReadAll(broker.BootstrapServers, output, 2, IsolationLevel.ReadCommitted).Select(r => SinkTestSupport.Text(r.Message.Value)).ToList();
        Assert.Equal(committed.Select(v => v.ToUpperInvariant()).Order(), written.Order());
    }

    [Fact]
    public async Task SetPartitions_with_given_start_and_stop_offsets_reads_exactly_that_range()
    {
        var topic = KafkaTestClusterFixture.UniqueTopic("builder-range");
        broker.Cluster.CreateTopic(topic, 2);
        using (var producer = KafkaClientsForTests.Producer(broker.BootstrapServers))
        {
            for (var i = 0; i < 10; i++)
            {
                foreach (var partition in new[] { 0, 1 })
                {
                    await producer.ProduceAsync(new TopicPartition(topic, partition), new Message<byte[], byte[]> { Value = Encoding.UTF8.GetBytes($"p{partition}-{i}") }, TestContext.Current.CancellationToken);
                }
            }
        }

        var partition1 = new KafkaTopicPartition(topic, 1);
        var read = new System.Collections.Concurrent.ConcurrentQueue<string>();
        var env = JobWait.Checkpointed(parallelism: 1);
        env.FromSource(
                KafkaSource.Builder<string>()
                    .SetBootstrapServers(broker.BootstrapServers)
                    .SetPartitions(partition1)
                    .SetStartingOffsets(OffsetsInitializer.Offsets(new Dictionary<KafkaTopicPartition, long> { [partition1] = 3 }))
                    .SetBounded(OffsetsInitializer.Offsets(new Dictionary<KafkaTopicPartition, long> { [partition1] = 7 }))
                    .SetValueOnlyDeserializer(new SimpleStringSchema())
                    .Build(),
                WatermarkStrategy<string>.NoWatermarks(),
                "range")
            .AddSink(v => read.Enqueue(v));

        await RunToEndAsync(env.Start("range"), TimeSpan.FromSeconds(60));

        Assert.Equal(["p1-3", "p1-4", "p1-5", "p1-6"], read);
    }

    [Fact]
    public void The_builders_refuse_an_incomplete_or_contradictory_configuration_naming_what_is_wrong()
    {
        var schema = new SimpleStringSchema();
        Assert.Contains("SetBootstrapServers", Assert.Throws<InvalidOperationException>(() =>
            KafkaSource.Builder<string>().SetTopics("t").SetValueOnlyDeserializer(schema).Build()).Message);
        Assert.Contains("SetTopics, SetTopicPattern or SetPartitions", Assert.Throws<InvalidOperationException>(() =>
            KafkaSource.Builder<string>().SetBootstrapServers("localhost:9092").SetValueOnlyDeserializer(schema).Build()).Message);
        Assert.Contains("SetValueOnlyDeserializer or SetDeserializer", Assert.Throws<InvalidOperationException>(() =>
            KafkaSource.Builder<string>().SetBootstrapServers("localhost:9092").SetTopics("t").Build()).Message);
        Assert.Contains("SetTopicPattern cannot be combined with SetTopics", Assert.Throws<InvalidOperationException>(() =>
            KafkaSource.Builder<string>().SetTopics("t").SetTopicPattern(new Regex("t.*"))).Message);
        Assert.Contains("SetGroupId", Assert.Throws<InvalidOperationException>(() =>
            KafkaSource.Builder<string>().SetBootstrapServers("localhost:9092").SetTopics("t").SetValueOnlyDeserializer(schema)
                .SetStartingOffsets(OffsetsInitializer.CommittedOffsets()).Build()).Message);
        Assert.Contains("commit.offsets.on.checkpoint must be true or false", Assert.Throws<InvalidOperationException>(() =>
            KafkaSource.Builder<string>().SetBootstrapServers("localhost:9092").SetTopics("t").SetValueOnlyDeserializer(schema)
                .SetProperty(KafkaSourceBuilder<string>.CommitOffsetsOnCheckpoint, "sometimes").Build()).Message);

        Assert.Contains("SetRecordSerializer", Assert.Throws<InvalidOperationException>(() =>
            KafkaSink.Builder<string>().SetBootstrapServers("localhost:9092").Build()).Message);
        Assert.Contains("SetBootstrapServers", Assert.Throws<InvalidOperationException>(() =>
            KafkaSink.Builder<string>().Build()).Message);
        Assert.Contains("SetTopic", Assert.Throws<InvalidOperationException>(() =>
            KafkaRecordSerializationSchema.Builder<string>().SetValueSerializationSchema(schema).Build()).Message);
        Assert.Equal(DeliveryGuarantee.None, KafkaSink.Builder<string>().SetBootstrapServers("localhost:9092")
            .SetRecordSerializer(KafkaRecordSerializationSchema.Builder<string>().SetTopic("t").SetValueSerializationSchema(schema).Build()).Build().DeliveryGuarantee);
    }

    private static async Task RunToEndAsync(JobClient job, TimeSpan timeout)
    {
        var ended = await Task.WhenAny(job.Completion, Task.Delay(timeout, TestContext.Current.CancellationToken));
        if (ended != job.Completion)
        {
            await job.CancelAsync();
            Assert.Fail($"The bounded job did not end by itself within {timeout.TotalSeconds} s.");
        }

        await job.Completion;
    }

    /// <summary>Writes committed and aborted transactions round-robin over the topic's partitions; returns the committed values.</summary>
    private List<string> WriteTransactions(string topic, int committedRecords, int abortedRecords)
    {
        var committed = new List<string>();
        using var producer = new ProducerBuilder<Null, string>(new ProducerConfig
        {
            BootstrapServers = broker.BootstrapServers,
            TransactionalId = "writer-" + Guid.NewGuid().ToString("N"),
        }).Build();
        producer.InitTransactions(TimeSpan.FromSeconds(30));
        var aborted = 0;
        for (var i = 0; i < committedRecords; i += 50)
        {
            producer.BeginTransaction();
            for (var j = i; j < Math.Min(i + 50, committedRecords); j++)
            {
                producer.Produce(new TopicPartition(topic, j % 3), new Message<Null, string> { Value = $"v{j}" });
                committed.Add($"v{j}");
            }

            producer.CommitTransaction(TimeSpan.FromSeconds(30));
            if (aborted < abortedRecords)
            {
                producer.BeginTransaction();
                for (var j = 0; j < 20 && aborted < abortedRecords; j++, aborted++)
                {
                    producer.Produce(new TopicPartition(topic, j % 3), new Message<Null, string> { Value = $"aborted{aborted}" });
                }

                producer.AbortTransaction(TimeSpan.FromSeconds(30));
            }
        }

        return committed;
    }
}
