namespace Rivulet.Connectors.Kafka.Source.Initializer;

/// <summary>
/// <c>SetStartFromGroupOffsets()</c> (the default): the consumer group's committed offsets;
/// where the group has none, the client's <c>auto.offset.reset</c> decides.
/// </summary>
/// <remarks>
/// Built with an explicit <see cref="OffsetResetStrategy"/> (the builder's
/// <c>OffsetsInitializer.CommittedOffsets(reset)</c>), that strategy decides instead.
/// </remarks>
internal sealed class GroupOffsetsInitializer(OffsetResetStrategy? resetStrategy = null) : IStartingOffsetsInitializer
{
    public IReadOnlyDictionary<KafkaTopicPartition, long> Resolve(IReadOnlyCollection<KafkaTopicPartition> partitions, IPartitionOffsetsReader reader)
    {
        var committed = reader.Committed(partitions);
        return partitions.ToDictionary(p => p, p => committed.TryGetValue(p, out var offset) ? offset : ResetFor(p, reader));
    }

    public string Describe() => resetStrategy is { } reset ? $"committed offsets (reset: {reset})" : "group offsets";

    private long ResetFor(KafkaTopicPartition partition, IPartitionOffsetsReader reader) => resetStrategy switch
    {
        null => Reset(partition, reader),
        OffsetResetStrategy.Earliest => reader.Earliest(partition),
        OffsetResetStrategy.Latest => reader.Latest(partition),
        _ => throw new InvalidOperationException(
            $"Group '{reader.GroupId}' has no committed offset for {partition}, and the source starts from committed offsets with " +
            "OffsetResetStrategy.None. Commit offsets for the group first, or use OffsetsInitializer.CommittedOffsets(OffsetResetStrategy.Earliest or Latest)."),
    };

    /// <summary>What <c>auto.offset.reset</c> says for a partition without a committed offset.</summary>
    internal static long Reset(KafkaTopicPartition partition, IPartitionOffsetsReader reader) =>
        reader.AutoOffsetReset.ToLowerInvariant() switch
        {
            "earliest" or "smallest" or "beginning" => reader.Earliest(partition),
            "latest" or "largest" or "end" => reader.Latest(partition),
            _ => throw new InvalidOperationException(
                $"Group '{reader.GroupId}' has no committed offset for {partition} and auto.offset.reset is " +
                $"'{reader.AutoOffsetReset}'. Set auto.offset.reset to earliest or latest, or choose another start position."),
        };
}
