using Rivulet.Connectors.Kafka.Source.Deserialization;
using Rivulet.Connectors.Kafka.Source.Initializer;
using Rivulet.Connectors.Kafka.Source.Subscriber;
using Rivulet.Core.Time;

namespace Rivulet.Connectors.Kafka.Source;

/// <summary>
/// What a Kafka source reads and how, as configured on <see cref="KafkaConsumer{T}"/> or built by
/// <see cref="KafkaSourceBuilder{T}"/>. Immutable: every subtask reads the same instance, and a
/// setter replaces it with a changed copy.
/// </summary>
internal sealed record KafkaSourceSettings<T>(IKafkaSubscriber Subscriber, IKafkaDeserializationSchema<T> Schema, IReadOnlyDictionary<string, string> Properties)
{
    /// <summary>Where partitions start on a fresh start; the group's committed offsets by default.</summary>
    public IStartingOffsetsInitializer StartingOffsets { get; init; } = new GroupOffsetsInitializer();

    /// <summary>Whether offsets are committed to the group when a checkpoint completes.</summary>
    public bool CommitOffsetsOnCheckpoints { get; init; } = true;

    /// <summary>Per-partition timestamps and watermarks inside the source; none when null.</summary>
    public WatermarkStrategy<T>? WatermarkStrategy { get; init; }

    /// <summary>Where each partition ends (a bounded source); unbounded when null.</summary>
    public IStartingOffsetsInitializer? StoppingOffsets { get; init; }

    /// <summary>From <c>flink.partition-discovery.interval-millis</c>; null = discovery off.</summary>
    public TimeSpan? DiscoveryInterval { get; init; }
}
