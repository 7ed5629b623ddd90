using Confluent.Kafka;
using Rivulet.Connectors.Kafka.Sink.Partitioning;
using Rivulet.Connectors.Kafka.Sink.Serialization;

namespace Rivulet.Connectors.Kafka.Sink.Writer;

/// <summary>
/// Turns an element into the Kafka record to send and where to send it: the schema's topic or
/// the default one; the schema's partition hint, else the partitioner's choice, else the
/// client's key hashing; the schema's timestamp, else the element's when asked for.
/// </summary>
internal sealed class KafkaRecordRouter<T>(
    string? defaultTopic,
    IKafkaSerializationSchema<T> schema,
    KafkaPartitioner<T>? partitioner,
    bool writeTimestampToKafka,
    Func<string, int[]> partitionsOf)
{
    public (TopicPartition Target, Message<byte[]?, byte[]?> Message) Route(T element, long? elementTimestampMs)
    {
        var record = schema.Serialize(element, elementTimestampMs);
        var topic = record.Topic ?? defaultTopic
            ?? throw new InvalidOperationException("The Kafka sink has no default topic and its serialization schema returned a record without a topic.");
        var partition = record.Partition is { } hint
            ? new Partition(hint)
            : partitioner is null
                ? Partition.Any
                : new Partition(partitioner.Partition(element, record.Key, record.Value, topic, partitionsOf(topic)));

        var message = new Message<byte[]?, byte[]?> { Key = record.Key, Value = record.Value };
        var timestamp = record.TimestampMs ?? (writeTimestampToKafka ? elementTimestampMs : null);
        if (timestamp is { } ms)
        {
            message.Timestamp = new Timestamp(ms, TimestampType.CreateTime);
        }

        if (record.Headers is { Count: > 0 } headers)
        {
            message.Headers = [];
            foreach (var (key, value) in headers)
            {
                message.Headers.Add(key, value);
            }
        }

        return (new TopicPartition(topic, partition), message);
    }
}
