using Confluent.Kafka;

namespace Rivulet.Testing.Kafka.Tests;

/// <summary>Plain Confluent.Kafka clients against the test broker, for conformance tests.</summary>
internal static class KafkaClients
{
    public static IProducer<string, string> Producer(string bootstrap, Action<ProducerConfig>? configure = null, Action<ProducerBuilder<string, string>>? build = null)
    {
        var config = new ProducerConfig { BootstrapServers = bootstrap, Acks = Acks.All, LingerMs = 5 };
        configure?.Invoke(config);
        var builder = new ProducerBuilder<string, string>(config);
        build?.Invoke(builder);
        return builder.Build();
    }

    public static IConsumer<string, string> Consumer(string bootstrap, Action<ConsumerConfig>? configure = null)
    {
        var config = new ConsumerConfig
        {
            BootstrapServers = bootstrap,
            GroupId = "g-" + Guid.NewGuid().ToString("N"),
            AutoOffsetReset = AutoOffsetReset.Earliest,
            EnableAutoCommit = false,
            SessionTimeoutMs = 6000,
            EnablePartitionEof = true,
        };
        configure?.Invoke(config);
        return new ConsumerBuilder<string, string>(config).Build();
    }

    public static IAdminClient Admin(string bootstrap)
    {
        return new AdminClientBuilder(new AdminClientConfig { BootstrapServers = bootstrap }).Build();
    }

    /// <summary>Produces and waits for every delivery report; throws on any delivery error.</summary>
    public static async Task ProduceAllAsync(IProducer<string, string> producer, string topic, IEnumerable<(string Key, string Value)> records, int? partition = null)
    {
        var sends = records.Select(r => partition is { } p
            ? producer.ProduceAsync(new TopicPartition(topic, p), new Message<string, string> { Key = r.Key, Value = r.Value })
            : producer.ProduceAsync(topic, new Message<string, string> { Key = r.Key, Value = r.Value })).ToList();
        await Task.WhenAll(sends);
    }

    /// <summary>
    /// Reads the assigned partitions until <paramref name="expected"/> records arrived or the
    /// deadline passed; returns what was read (callers assert on it).
    /// </summary>
    public static List<ConsumeResult<string, string>> ConsumeUntil(IConsumer<string, string> consumer, int expected, TimeSpan deadline)
    {
        var results = new List<ConsumeResult<string, string>>();
        var until = DateTime.UtcNow + deadline;
        while (results.Count < expected && DateTime.UtcNow < until)
        {
            var result = consumer.Consume(TimeSpan.FromMilliseconds(100));
            if (result is { IsPartitionEOF: false, Message: not null })
            {
                results.Add(result);
            }
        }

        return results;
    }

    /// <summary>Reads everything currently readable, stopping once every partition reported EOF.</summary>
    public static List<ConsumeResult<string, string>> ConsumeToEnd(IConsumer<string, string> consumer, int partitionCount, TimeSpan deadline)
    {
        var results = new List<ConsumeResult<string, string>>();
        PartitionEndReader.ReadToEnd(consumer, partitionCount, deadline, results.Add);
        return results;
    }

    public static IEnumerable<TopicPartitionOffset> FromBeginning(string topic, int partitions) =>
        Enumerable.Range(0, partitions).Select(p => new TopicPartitionOffset(topic, p, Offset.Beginning));
}
