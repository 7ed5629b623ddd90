using Confluent.Kafka;

namespace Rivulet.Connectors.Kafka.Source.Subscriber;

/// <summary>Reads a fixed set of partitions (the builder's <c>SetPartitions</c>); nothing else, and nothing new.</summary>
internal sealed class PartitionSetSubscriber : IKafkaSubscriber
{
    private readonly HashSet<KafkaTopicPartition> _partitions;

    public PartitionSetSubscriber(IEnumerable<KafkaTopicPartition> partitions)
    {
        ArgumentNullException.ThrowIfNull(partitions);
        _partitions = [.. partitions];
        if (_partitions.Count == 0)
        {
            throw new ArgumentException("SetPartitions needs at least one partition.", nameof(partitions));
        }

        foreach (var partition in _partitions)
        {
            if (string.IsNullOrWhiteSpace(partition.Topic) || partition.Partition < 0)
            {
                throw new ArgumentException($"SetPartitions: {partition} is not a partition (a topic name and a partition number ≥ 0).", nameof(partitions));
            }
        }

        TopicsToDescribe = [.. _partitions.Select(p => p.Topic).Distinct().Order(StringComparer.Ordinal)];
    }

    public bool CanDiscoverNewTopics => false;

    public IReadOnlyList<string>? TopicsToDescribe { get; }

    public IReadOnlyList<KafkaTopicPartition> Partitions(Metadata metadata) =>
        [.. metadata.Topics
            .Where(t => t.Error.Code == ErrorCode.NoError)
            .SelectMany(t => t.Partitions.Select(p => new KafkaTopicPartition(t.Topic, p.PartitionId)))
            .Where(_partitions.Contains)
            .Order()];

    public bool Matches(string topic) => TopicsToDescribe!.Contains(topic, StringComparer.Ordinal);

    public IReadOnlyList<string> UnavailableTopics(IEnumerable<TopicMetadata> topics)
    {
        var known = topics.Where(t => t.Error.Code == ErrorCode.NoError)
            .SelectMany(t => t.Partitions.Select(p => new KafkaTopicPartition(t.Topic, p.PartitionId)))
            .ToHashSet();
        return [.. _partitions.Where(p => !known.Contains(p)).Order().Select(p => $"{p} (not in the cluster's metadata)")];
    }

    public string Describe() => $"partitions [{string.Join(", ", _partitions.Order())}]";
}
