using Microsoft.Extensions.Logging;
using Rivulet.Connectors.Kafka.Source.Subscriber;
using Rivulet.Core.Api.Functions;
using Rivulet.Core.State;

namespace Rivulet.Connectors.Kafka.Source;

/// <summary>
/// One source subtask's part of the checkpoints: the next offset of every partition it reads (and
/// of a bounded source, where each stops), as union list state, and what a restore handed this
/// subtask. Made in <c>InitializeState</c>, before the subtask opens.
/// </summary>
internal sealed class KafkaSourceCheckpointState
{
    // The state names are part of the checkpoint format: savepoints of earlier versions restore by them.
    private static readonly ListStateDescriptor<KafkaPartitionOffset> OffsetsDescriptor = new("topic-partition-offset-states");
    private static readonly ListStateDescriptor<KafkaPartitionOffset> StoppingOffsetsDescriptor = new("topic-partition-stopping-offsets");

    private readonly IListState<KafkaPartitionOffset> _offsets;
    private readonly IListState<KafkaPartitionOffset>? _stops;

    public KafkaSourceCheckpointState(IFunctionInitializationContext context, IKafkaSubscriber subscriber, bool bounded, ILogger logger)
    {
        _offsets = context.OperatorStateStore.GetUnionListState(OffsetsDescriptor);
        _stops = bounded ? context.OperatorStateStore.GetUnionListState(StoppingOffsetsDescriptor) : null;
        if (!context.IsRestored)
        {
            return;
        }

        // Union state: every subtask sees every partition's offset and keeps the ones the
        // assigner gives it now — also at a different parallelism than at the checkpoint.
        var runtime = context.RuntimeContext;
        var restored = _offsets.Get().Select(o => (Partition: new KafkaTopicPartition(o.Topic, o.Partition), o.Offset)).ToList();
        // Partitions of topics the job no longer subscribes to (a changed topic list or pattern)
        // are dropped, as in Flink.
        var unsubscribed = restored.Where(o => !subscriber.Matches(o.Partition.Topic)).Select(o => o.Partition).Distinct().ToList();
        if (unsubscribed.Count > 0 && runtime.SubtaskIndex == 0)
        {
            logger.LogWarning("Restored offsets of {Count} partition(s) no longer match {Subscription} and are dropped: {Partitions}",
                unsubscribed.Count, subscriber.Describe(), string.Join(", ", unsubscribed));
        }

        var offsets = restored
            .Where(o => subscriber.Matches(o.Partition.Topic))
            .Where(o => KafkaPartitionAssigner.IsAssignedTo(o.Partition, runtime.SubtaskIndex, runtime.NumberOfParallelSubtasks))
            .ToDictionary(o => o.Partition, o => o.Offset);
        RestoredOffsets = offsets;
        RestoredStops = _stops?.Get()
            .Select(o => (Partition: new KafkaTopicPartition(o.Topic, o.Partition), o.Offset))
            .Where(o => offsets.ContainsKey(o.Partition))
            .ToDictionary(o => o.Partition, o => o.Offset) ?? [];
    }

    /// <summary>The next offset of each partition this subtask owns, from the restored checkpoint; null on a fresh start.</summary>
    public IReadOnlyDictionary<KafkaTopicPartition, long>? RestoredOffsets { get; }

    /// <summary>A bounded source's restored stopping offsets of the partitions in <see cref="RestoredOffsets"/>.</summary>
    public IReadOnlyDictionary<KafkaTopicPartition, long> RestoredStops { get; } = new Dictionary<KafkaTopicPartition, long>();

    /// <summary>Writes this subtask's positions (and a bounded source's stops) into the checkpoint being taken.</summary>
    public void Update(IReadOnlyDictionary<KafkaTopicPartition, long> positions, IReadOnlyDictionary<KafkaTopicPartition, long> stops)
    {
        _offsets.Update(positions.Select(p => new KafkaPartitionOffset(p.Key.Topic, p.Key.Partition, p.Value)));
        _stops?.Update(stops.Select(p => new KafkaPartitionOffset(p.Key.Topic, p.Key.Partition, p.Value)));
    }
}
