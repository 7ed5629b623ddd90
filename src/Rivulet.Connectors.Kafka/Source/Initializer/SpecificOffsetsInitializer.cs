namespace Rivulet.Connectors.Kafka.Source.Initializer;

/// <summary>
/// <c>SetStartFromSpecificOffsets(map)</c>: the given next offset to read per partition; partitions
/// not in the map start from the group's committed offsets (then <c>auto.offset.reset</c>).
/// </summary>
internal sealed class SpecificOffsetsInitializer : IStartingOffsetsInitializer
{
    private readonly Dictionary<KafkaTopicPartition, long> _offsets;

    public SpecificOffsetsInitializer(IReadOnlyDictionary<KafkaTopicPartition, long> offsets)
    {
        ArgumentNullException.ThrowIfNull(offsets);
        foreach (var (partition, offset) in offsets)
        {
            if (offset < 0)
            {
                throw new ArgumentOutOfRangeException(nameof(offsets), offset, $"SetStartFromSpecificOffsets: the offset for {partition} must be ≥ 0.");
            }
        }

        _offsets = new Dictionary<KafkaTopicPartition, long>(offsets);
    }

    public IReadOnlyDictionary<KafkaTopicPartition, long> Resolve(IReadOnlyCollection<KafkaTopicPartition> partitions, IPartitionOffsetsReader reader)
    {
        var unlisted = partitions.Where(p => !_offsets.ContainsKey(p)).ToList();
        var fallback = unlisted.Count > 0 ? new GroupOffsetsInitializer().Resolve(unlisted, reader) : new Dictionary<KafkaTopicPartition, long>();
        return partitions.ToDictionary(p => p, p => _offsets.TryGetValue(p, out var offset) ? offset : fallback[p]);
    }

    public string Describe() => $"specific offsets ({_offsets.Count} partitions)";
}
