using Confluent.Kafka;

namespace Rivulet.Connectors.Kafka.Source.Subscriber;

/// <summary>How the source names what it reads: it turns cluster metadata into the set of partitions.</summary>
internal interface IKafkaSubscriber
{
    /// <summary>Whether topics created later can match (a pattern) or the set of topics is fixed.</summary>
    bool CanDiscoverNewTopics { get; }

    /// <summary>Every partition of every subscribed topic that exists in <paramref name="metadata"/>.</summary>
    IReadOnlyList<KafkaTopicPartition> Partitions(Metadata metadata);

    /// <summary>Topic names to ask metadata for, or null to ask for all topics.</summary>
    IReadOnlyList<string>? TopicsToDescribe { get; }

    /// <summary>Whether partitions of <paramref name="topic"/> belong to the subscription (restored partitions that do not are dropped).</summary>
    bool Matches(string topic);

    /// <summary>Subscribed topics the cluster cannot serve (missing, not authorized…), each with the reason; none for a pattern.</summary>
    IReadOnlyList<string> UnavailableTopics(IEnumerable<TopicMetadata> topics);

    /// <summary>For messages and metric tags.</summary>
    string Describe();
}
