using System.Text.RegularExpressions;
using Confluent.Kafka;

namespace Rivulet.Connectors.Kafka.Source.Subscriber;

/// <summary>Reads every topic whose whole name matches a regular expression, including topics created later.</summary>
internal sealed class TopicPatternSubscriber : IKafkaSubscriber
{
    private static readonly HashSet<string> InternalTopics = new(["__consumer_offsets", "__transaction_state"], StringComparer.Ordinal);
    private readonly Regex _pattern;
    private readonly Regex _wholeName;

    public TopicPatternSubscriber(Regex pattern)
    {
        _pattern = pattern ?? throw new ArgumentNullException(nameof(pattern));
        // Java's Pattern.matcher(topic).matches(): the whole name must match, so
        // "test-topic-[0-9]" does not pick up "test-topic-10".
        _wholeName = new Regex($"^(?:{pattern})$", pattern.Options);
    }

    public bool CanDiscoverNewTopics => true;

    public IReadOnlyList<string>? TopicsToDescribe => null;

    public IReadOnlyList<KafkaTopicPartition> Partitions(Metadata metadata) =>
        [.. metadata.Topics
            .Where(t => t.Error.Code == ErrorCode.NoError && Matches(t.Topic))
            .SelectMany(t => t.Partitions.Select(p => new KafkaTopicPartition(t.Topic, p.PartitionId)))
            .Order()];

    public bool Matches(string topic) => !InternalTopics.Contains(topic) && _wholeName.IsMatch(topic);

    public IReadOnlyList<string> UnavailableTopics(IEnumerable<TopicMetadata> topics) => [];

    public string Describe() => $"topic pattern '{_pattern}'";
}
