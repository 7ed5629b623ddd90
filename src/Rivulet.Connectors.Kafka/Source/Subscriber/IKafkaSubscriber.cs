using Confluent.Kafka;

namespace Rivulet.Connectors.Kafka.Source.Subscriber;

/// <summary>How the source names what it reads: it turns cluster metadata into the set of partitions.</summary>
public interface IKafkaSubscriber
{
    /// <summary>Whether topics created later can match (a pattern) or the set of topics is fixed.</summary>
    bool CanDiscoverNewTopics { get; }

    /// <summary>Every partition of every subscribed topic that exists in <paramref name="metadata"/>.</summary>
    IReadOnlyList<KafkaTopicPartition> Partitions(Metadata metadata);

    /// <summary>Topic names to ask metadata for, or null to ask for all topics.</summary>
    IReadOnlyList<string>? TopicsToDescribe { get; }

    /// <summary>For messages and metric tags.</summary>
    string Describe();
}
