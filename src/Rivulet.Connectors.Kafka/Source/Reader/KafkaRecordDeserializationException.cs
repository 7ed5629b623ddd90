namespace Rivulet.Connectors.Kafka.Source.Reader;

/// <summary>A deserialization schema threw: names the record so the poison pill can be found.</summary>
public sealed class KafkaRecordDeserializationException(KafkaTopicPartition partition, long offset, Exception inner)
    : Exception($"Failed to deserialize the Kafka record at topic '{partition.Topic}', partition {partition.Partition}, offset {offset}: {inner.Message}", inner)
{
    /// <summary>The topic and partition of the record that could not be deserialized.</summary>
    public KafkaTopicPartition TopicPartition { get; } = partition;

    /// <summary>The offset of the record that could not be deserialized.</summary>
    public long Offset { get; } = offset;
}
