using Confluent.Kafka;

namespace Rivulet.Connectors.Kafka.Source.Subscriber;

/// <summary>Reads a fixed list of topics.</summary>
internal sealed class TopicListSubscriber : IKafkaSubscriber
{
    private readonly HashSet<string> _topics;

    public TopicListSubscriber(IEnumerable<string> topics)
    {
        ArgumentNullException.ThrowIfNull(topics);
        var list = topics.ToList();
        if (list.Count == 0)
        {
            throw new ArgumentException("The Kafka source needs at least one topic.", nameof(topics));
        }

        foreach (var topic in list)
        {
            if (string.IsNullOrWhiteSpace(topic))
            {
                throw new ArgumentException("A Kafka topic name must not be empty.", nameof(topics));
            }
        }

        _topics = new HashSet<string>(list, StringComparer.Ordinal);
        TopicsToDescribe = [.. _topics.Order(StringComparer.Ordinal)];
    }

    public bool CanDiscoverNewTopics => false;

    public IReadOnlyList<string>? TopicsToDescribe { get; }

    public IReadOnlyList<KafkaTopicPartition> Partitions(Metadata metadata) =>
        [.. metadata.Topics
            .Where(t => _topics.Contains(t.Topic) && t.Error.Code == ErrorCode.NoError)
            .SelectMany(t => t.Partitions.Select(p => new KafkaTopicPartition(t.Topic, p.PartitionId)))
            .Order()];

    public bool Matches(string topic) => _topics.Contains(topic);

    public IReadOnlyList<string> UnavailableTopics(IEnumerable<TopicMetadata> topics) =>
        [.. TopicsToDescribe!
            .Select(topic => (Topic: topic, Found: topics.FirstOrDefault(t => t.Topic == topic)))
            .Where(t => t.Found is null || t.Found.Error.Code != ErrorCode.NoError)
            .Select(t => $"'{t.Topic}' ({(t.Found is null ? "not in the cluster's metadata" : $"{t.Found.Error.Code}: {t.Found.Error.Reason}")})")];

    public string Describe() => $"topics [{string.Join(", ", TopicsToDescribe!)}]";
}
