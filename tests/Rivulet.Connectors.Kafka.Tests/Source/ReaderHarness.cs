using Confluent.Kafka;
using Microsoft.Extensions.Logging.Abstractions;
using Rivulet.Connectors.Kafka.Source.Deserialization;
using Rivulet.Connectors.Kafka.Source.Initializer;
using Rivulet.Connectors.Kafka.Source.Metrics;
using Rivulet.Connectors.Kafka.Source.Reader;
using Rivulet.Core.Serialization;

namespace Rivulet.Connectors.Kafka.Tests.Source;

/// <summary>A partition reader on the test broker, with helpers to write input and read what it emits.</summary>
internal sealed class ReaderHarness<T> : IDisposable
{
    private ReaderHarness(KafkaPartitionReader<T> reader, KafkaSourceMetrics metrics)
    {
        Reader = reader;
        Metrics = metrics;
    }

    public KafkaPartitionReader<T> Reader { get; }

    public KafkaSourceMetrics Metrics { get; }

    public static ReaderHarness<T> Create(string bootstrap, IKafkaDeserializationSchema<T> schema, string? groupId = null, Dictionary<string, string>? extra = null)
    {
        var properties = new Dictionary<string, string> { ["bootstrap.servers"] = bootstrap };
        foreach (var (k, v) in extra ?? [])
        {
            properties[k] = v;
        }

        var metrics = new KafkaSourceMetrics("test-source", 0);
        return new ReaderHarness<T>(new KafkaPartitionReader<T>(properties, groupId, enableAutoCommit: false, schema, metrics, NullLogger.Instance), metrics);
    }

    /// <summary>Resolves the start position for the partitions and assigns them.</summary>
    public void Start(IStartingOffsetsInitializer initializer, params KafkaTopicPartition[] partitions) =>
        Reader.Assign(initializer.Resolve(partitions, Reader.OffsetsReader(TimeSpan.FromSeconds(10))));

    /// <summary>Reads (and advances past) elements until <paramref name="count"/> arrived or the deadline passed.</summary>
    public List<(KafkaTopicPartition Partition, long Offset, T Element)> Read(int count, TimeSpan? deadline = null)
    {
        var read = new List<(KafkaTopicPartition, long, T)>();
        var until = DateTime.UtcNow + (deadline ?? TimeSpan.FromSeconds(15));
        while (read.Count < count && DateTime.UtcNow < until)
        {
            var fetched = Reader.Poll(TimeSpan.FromMilliseconds(100));
            if (fetched.Outcome == FetchOutcome.Element)
            {
                Reader.Advance(fetched.Partition, fetched.Offset);
                read.Add((fetched.Partition, fetched.Offset, fetched.Element!));
            }
        }

        return read;
    }

    public void Dispose()
    {
        Reader.Dispose();
        Metrics.Dispose();
    }
}

internal static class TestInput
{
    public static async Task WriteAsync(string bootstrap, string topic, int partition, IEnumerable<string> values, Func<int, long>? timestampOf = null)
    {
        using var producer = KafkaClientsForTests.Producer(bootstrap);
        var i = 0;
        foreach (var value in values)
        {
            var message = new Message<byte[], byte[]> { Value = System.Text.Encoding.UTF8.GetBytes(value) };
            if (timestampOf != null)
            {
                message.Timestamp = new Timestamp(timestampOf(i), TimestampType.CreateTime);
            }

            await producer.ProduceAsync(new TopicPartition(topic, partition), message);
            i++;
        }
    }

    public static void Commit(string bootstrap, string group, params (KafkaTopicPartition Partition, long Offset)[] offsets)
    {
        using var consumer = new ConsumerBuilder<Ignore, Ignore>(new ConsumerConfig { BootstrapServers = bootstrap, GroupId = group }).Build();
        consumer.Commit(offsets.Select(o => new TopicPartitionOffset(o.Partition.Topic, o.Partition.Partition, o.Offset)));
    }

    public static IKafkaDeserializationSchema<string> Strings => new ValueOnlyDeserializationSchema<string>(new SimpleStringSchema());
}
