using System.Text.RegularExpressions;
using Rivulet.Connectors.Kafka.Source.Deserialization;
using Rivulet.Connectors.Kafka.Source.Subscriber;
using Rivulet.Core.Serialization;

namespace Rivulet.Connectors.Kafka.Source;

/// <summary>
/// Configures a <see cref="KafkaSource{T}"/> (Flink's <c>KafkaSourceBuilder</c>). Required: the
/// bootstrap servers, what to read (<see cref="SetTopics(string[])"/>, <see cref="SetTopicPattern"/>
/// or <see cref="SetPartitions(KafkaTopicPartition[])"/>, exactly one) and a deserializer. Starts from
/// <see cref="OffsetsInitializer.Earliest"/> unless told otherwise, as Flink's does.
/// </summary>
/// <typeparam name="T">The type the deserializer produces.</typeparam>
public sealed class KafkaSourceBuilder<T>
{
    /// <summary>Flink's <c>KafkaSourceOptions.PARTITION_DISCOVERY_INTERVAL_MS</c>; translated to the source's own setting.</summary>
    public const string PartitionDiscoveryIntervalMs = "partition.discovery.interval.ms";

    /// <summary>Flink's <c>KafkaSourceOptions.COMMIT_OFFSETS_ON_CHECKPOINT</c> ("true" by default).</summary>
    public const string CommitOffsetsOnCheckpoint = "commit.offsets.on.checkpoint";

    private readonly Dictionary<string, string> _properties = new(StringComparer.Ordinal);
    private IKafkaSubscriber? _subscriber;
    private string? _subscribedWith;
    private IKafkaDeserializationSchema<T>? _deserializer;
    private OffsetsInitializer _startingOffsets = OffsetsInitializer.Earliest();
    private OffsetsInitializer? _stoppingOffsets;

    internal KafkaSourceBuilder()
    {
    }

    /// <summary>The brokers to bootstrap from (<c>bootstrap.servers</c>), <c>host:port,…</c>.</summary>
    /// <param name="bootstrapServers">A comma-separated list of <c>host:port</c>.</param>
    public KafkaSourceBuilder<T> SetBootstrapServers(string bootstrapServers) => SetProperty("bootstrap.servers", bootstrapServers);

    /// <summary>The consumer group (<c>group.id</c>): offsets are committed to it on checkpoints, and <see cref="OffsetsInitializer.CommittedOffsets"/> reads from it.</summary>
    /// <param name="groupId">The group id.</param>
    public KafkaSourceBuilder<T> SetGroupId(string groupId) => SetProperty("group.id", groupId);

    /// <summary>Reads these topics (all their partitions).</summary>
    /// <param name="topics">One or more topic names.</param>
    public KafkaSourceBuilder<T> SetTopics(params string[] topics) => SetTopics((IEnumerable<string>)topics);

    /// <summary>Reads these topics (all their partitions).</summary>
    /// <param name="topics">One or more topic names.</param>
    public KafkaSourceBuilder<T> SetTopics(IEnumerable<string> topics) => Subscribe(new TopicListSubscriber(topics), nameof(SetTopics));

    /// <summary>Reads every topic whose name matches <paramref name="topicPattern"/>; with partition discovery on, also topics created later.</summary>
    /// <param name="topicPattern">The pattern a whole topic name must match.</param>
    public KafkaSourceBuilder<T> SetTopicPattern(Regex topicPattern) =>
        Subscribe(new TopicPatternSubscriber(topicPattern ?? throw new ArgumentNullException(nameof(topicPattern))), nameof(SetTopicPattern));

    /// <summary>Reads exactly these partitions.</summary>
    /// <param name="partitions">One or more partitions.</param>
    public KafkaSourceBuilder<T> SetPartitions(params KafkaTopicPartition[] partitions) => SetPartitions((IEnumerable<KafkaTopicPartition>)partitions);

    /// <summary>Reads exactly these partitions.</summary>
    /// <param name="partitions">One or more partitions.</param>
    public KafkaSourceBuilder<T> SetPartitions(IEnumerable<KafkaTopicPartition> partitions) => Subscribe(new PartitionSetSubscriber(partitions), nameof(SetPartitions));

    /// <summary>Where partitions start that the job has no checkpointed offset for (default <see cref="OffsetsInitializer.Earliest"/>).</summary>
    /// <param name="startingOffsets">The start position.</param>
    public KafkaSourceBuilder<T> SetStartingOffsets(OffsetsInitializer startingOffsets)
    {
        _startingOffsets = startingOffsets ?? throw new ArgumentNullException(nameof(startingOffsets));
        return this;
    }

    /// <summary>
    /// Makes the source bounded: each partition is read up to the offset <paramref name="stoppingOffsets"/>
    /// resolves when the job starts (that record excluded), then the source ends, and with it the job
    /// once every source has. Partition discovery is off for a bounded source.
    /// </summary>
    /// <param name="stoppingOffsets">Where to stop, for example <see cref="OffsetsInitializer.Latest"/>.</param>
    public KafkaSourceBuilder<T> SetBounded(OffsetsInitializer stoppingOffsets)
    {
        _stoppingOffsets = stoppingOffsets ?? throw new ArgumentNullException(nameof(stoppingOffsets));
        return this;
    }

    /// <summary>Deserializes each record's value alone.</summary>
    /// <param name="deserializer">For example <see cref="SimpleStringSchema"/>.</param>
    public KafkaSourceBuilder<T> SetValueOnlyDeserializer(IDeserializationSchema<T> deserializer) =>
        SetDeserializer(new ValueOnlyDeserializationSchema<T>(deserializer ?? throw new ArgumentNullException(nameof(deserializer))));

    /// <summary>Deserializes the whole record: key, value, topic, partition, offset, timestamp, headers.</summary>
    /// <param name="deserializer">The record deserializer.</param>
    public KafkaSourceBuilder<T> SetDeserializer(IKafkaDeserializationSchema<T> deserializer)
    {
        _deserializer = deserializer ?? throw new ArgumentNullException(nameof(deserializer));
        return this;
    }

    /// <summary>
    /// A Kafka client property (librdkafka's names, as in Java: <c>security.protocol</c>,
    /// <c>sasl.mechanism</c>, <c>isolation.level</c>…), or one of the source's own:
    /// <see cref="PartitionDiscoveryIntervalMs"/>, <see cref="CommitOffsetsOnCheckpoint"/>.
    /// </summary>
    /// <param name="key">The property name.</param>
    /// <param name="value">Its value.</param>
    public KafkaSourceBuilder<T> SetProperty(string key, string value)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(key);
        ArgumentNullException.ThrowIfNull(value);
        _properties[key] = value;
        return this;
    }

    /// <summary>Sets every property of <paramref name="properties"/>, as <see cref="SetProperty"/> does.</summary>
    /// <param name="properties">Property names and values.</param>
    public KafkaSourceBuilder<T> SetProperties(IReadOnlyDictionary<string, string> properties)
    {
        ArgumentNullException.ThrowIfNull(properties);
        foreach (var (key, value) in properties)
        {
            SetProperty(key, value);
        }

        return this;
    }

    /// <summary>Checks the configuration and builds the source.</summary>
    /// <exception cref="InvalidOperationException">Something required is missing or two settings contradict each other; the message names them.</exception>
    public KafkaSource<T> Build()
    {
        var properties = new Dictionary<string, string>(_properties, StringComparer.Ordinal);
        if (!properties.TryGetValue("bootstrap.servers", out var servers) || string.IsNullOrWhiteSpace(servers))
        {
            throw new InvalidOperationException("KafkaSource: the bootstrap servers are required: call SetBootstrapServers(\"host:port,…\") or set the property bootstrap.servers.");
        }

        if (_subscriber is null)
        {
            throw new InvalidOperationException("KafkaSource: say what to read with SetTopics, SetTopicPattern or SetPartitions.");
        }

        if (_deserializer is null)
        {
            throw new InvalidOperationException("KafkaSource: a deserializer is required: call SetValueOnlyDeserializer or SetDeserializer.");
        }

        var needsGroup = _startingOffsets.Implementation is Initializer.GroupOffsetsInitializer || _stoppingOffsets?.Implementation is Initializer.GroupOffsetsInitializer;
        if (needsGroup && (!properties.TryGetValue("group.id", out var group) || string.IsNullOrWhiteSpace(group)))
        {
            throw new InvalidOperationException("KafkaSource: OffsetsInitializer.CommittedOffsets reads the consumer group's offsets, so a group id is required: call SetGroupId.");
        }

        var commitOnCheckpoints = true;
        if (properties.Remove(CommitOffsetsOnCheckpoint, out var commit))
        {
            commitOnCheckpoints = bool.TryParse(commit, out var parsed)
                ? parsed
                : throw new InvalidOperationException($"KafkaSource: the property {CommitOffsetsOnCheckpoint} must be true or false, not '{commit}'.");
        }

        if (properties.Remove(PartitionDiscoveryIntervalMs, out var interval))
        {
            properties[KafkaProperties.PartitionDiscoveryIntervalMillis] = interval;
        }

        return new KafkaSource<T>(_subscriber, _deserializer, properties, _startingOffsets.Implementation, _stoppingOffsets?.Implementation, commitOnCheckpoints);
    }

    private KafkaSourceBuilder<T> Subscribe(IKafkaSubscriber subscriber, string setter)
    {
        if (_subscribedWith is not null && _subscribedWith != setter)
        {
            throw new InvalidOperationException($"KafkaSource: {setter} cannot be combined with {_subscribedWith}; a source reads topics, a topic pattern or partitions.");
        }

        _subscriber = subscriber;
        _subscribedWith = setter;
        return this;
    }
}
