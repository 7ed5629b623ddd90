using Confluent.Kafka;

namespace Rivulet.Cli.Demo;

/// <summary>
/// Measures <see cref="InputProgress"/> from outside the job: the input's end offsets against the
/// offsets the job's group committed, both counted from where this run's input begins.
/// </summary>
public sealed class ConsumerLagProbe : IDisposable
{
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(10);

    private readonly IConsumer<Ignore, Ignore> _consumer;
    private readonly IReadOnlyDictionary<int, long> _startOffsets;
    private readonly List<TopicPartition> _partitions;

    public ConsumerLagProbe(string bootstrapServers, string topic, string groupId, IReadOnlyDictionary<int, long> startOffsets)
    {
        _startOffsets = startOffsets;
        _partitions = [.. startOffsets.Keys.Order().Select(p => new TopicPartition(topic, p))];
        _consumer = new ConsumerBuilder<Ignore, Ignore>(new ConsumerConfig
        {
            BootstrapServers = bootstrapServers,
            GroupId = groupId,
            EnableAutoCommit = false,
        }).SetLogHandler((_, _) => { }).SetErrorHandler((_, _) => { }).Build();
    }

    public InputProgress Measure()
    {
        var committed = _consumer.Committed(_partitions, RequestTimeout).ToDictionary(c => c.Partition.Value, c => c.Offset.Value);
        long written = 0, consumed = 0;
        foreach (var tp in _partitions)
        {
            var start = _startOffsets[tp.Partition.Value];
            written += _consumer.QueryWatermarkOffsets(tp, RequestTimeout).High.Value - start;
            consumed += Math.Max(0, committed.GetValueOrDefault(tp.Partition.Value, -1) - start);
        }

        return new InputProgress(written, consumed);
    }

    /// <summary>Per partition: where this run's input begins, ends now, and what the group committed — for a message when the job stalls.</summary>
    public string Describe()
    {
        try
        {
            var committed = _consumer.Committed(_partitions, RequestTimeout).ToDictionary(c => c.Partition.Value, c => c.Offset.Value);
            return string.Join(", ", _partitions.Select(tp =>
                $"partition {tp.Partition.Value}: from {_startOffsets[tp.Partition.Value]} to {_consumer.QueryWatermarkOffsets(tp, RequestTimeout).High.Value}, committed {committed.GetValueOrDefault(tp.Partition.Value, -1)}"));
        }
        catch (KafkaException e)
        {
            return $"(the input's offsets could not be read: {e.Error.Reason})";
        }
    }

    public void Dispose() => _consumer.Dispose();
}
