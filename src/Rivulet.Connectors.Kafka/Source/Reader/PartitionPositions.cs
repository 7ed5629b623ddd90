using System.Collections;
using System.Diagnostics.CodeAnalysis;
using Rivulet.Connectors.Kafka.Source.Metrics;

namespace Rivulet.Connectors.Kafka.Source.Reader;

/// <summary>
/// The next offset to read of each partition a reader owns, updated for every record. Records
/// come in runs from one partition, so the last partition's entry is kept at hand: a record of
/// the same partition costs a string comparison, not a dictionary lookup (which hashes the topic
/// name: a visible share of the source's time per record). Used from the source subtask's loop only.
/// </summary>
internal sealed class PartitionPositions(KafkaSourceMetrics metrics) : IReadOnlyDictionary<KafkaTopicPartition, long>
{
    private readonly Dictionary<KafkaTopicPartition, Position> _positions = [];
    private Position? _last;

    public int Count => _positions.Count;

    public IEnumerable<KafkaTopicPartition> Keys => _positions.Keys;

    public IEnumerable<long> Values => _positions.Values.Select(p => p.Next);

    public long this[KafkaTopicPartition key] => _positions[key].Next;

    /// <summary>Starts tracking <paramref name="partition"/> at <paramref name="next"/>; false if it is tracked already.</summary>
    public bool TryAdd(KafkaTopicPartition partition, long next)
    {
        if (_positions.ContainsKey(partition))
        {
            return false;
        }

        _positions[partition] = new Position(partition, metrics.GaugesOf(partition)) { Next = next };
        metrics.SetPosition(partition, next);
        return true;
    }

    /// <summary>The tracked partition named <paramref name="topic"/>/<paramref name="partition"/> (the topic string of a fetched record is a fresh copy each time).</summary>
    public KafkaTopicPartition Resolve(string topic, int partition) => Find(topic, partition).Partition;

    /// <summary>The record at <paramref name="offset"/> was emitted.</summary>
    public void Read(KafkaTopicPartition partition, long offset)
    {
        var position = Find(partition.Topic, partition.Partition);
        position.Next = offset + 1;
        metrics.RecordRead(position.Gauges, offset + 1);
    }

    /// <summary>The record at <paramref name="offset"/> was skipped (its schema returned null).</summary>
    public void Skipped(KafkaTopicPartition partition, long offset)
    {
        var position = Find(partition.Topic, partition.Partition);
        position.Next = offset + 1;
        metrics.RecordSkipped(partition, offset + 1);
    }

    public bool ContainsKey(KafkaTopicPartition key) => _positions.ContainsKey(key);

    public bool TryGetValue(KafkaTopicPartition key, [MaybeNullWhen(false)] out long value)
    {
        var found = _positions.TryGetValue(key, out var position);
        value = found ? position!.Next : 0;
        return found;
    }

    public IEnumerator<KeyValuePair<KafkaTopicPartition, long>> GetEnumerator() =>
        _positions.Select(p => KeyValuePair.Create(p.Key, p.Value.Next)).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private Position Find(string topic, int partition)
    {
        if (_last is { } last && last.Partition.Partition == partition && string.Equals(last.Partition.Topic, topic, StringComparison.Ordinal))
        {
            return last;
        }

        if (!_positions.TryGetValue(new KafkaTopicPartition(topic, partition), out var position))
        {
            throw new InvalidOperationException($"The Kafka source received a record of topic '{topic}', partition {partition}, which this subtask was not assigned.");
        }

        _last = position;
        return position;
    }

    private sealed class Position(KafkaTopicPartition partition, KafkaSourceMetrics.PartitionGauges gauges)
    {
        public KafkaTopicPartition Partition { get; } = partition;

        public KafkaSourceMetrics.PartitionGauges Gauges { get; } = gauges;

        public long Next { get; set; }
    }
}
