namespace Rivulet.Connectors.Kafka.Source;

/// <summary>One entry of the source's checkpointed state: the next offset to read of a partition.</summary>
public sealed record KafkaPartitionOffset(string Topic, int Partition, long Offset);
