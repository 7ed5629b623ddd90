using Confluent.Kafka;
using Rivulet.Connectors.Kafka.Native;

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
        LibrdkafkaLoader.EnsureLoaded();
        _startOffsets = startOffsets;
        _partitions = [.. startOffsets.Keys.Order().Select(p => new TopicPartition(topic, p))];
        _consumer = new ConsumerBuilder<Ignore, Ignore>(new ConsumerConfig
        {
            BootstrapServers = bootstrapServers,
            GroupId = groupId,
            EnableAutoCommit = false,
        }).Build();
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

    public void Dispose() => _consumer.Dispose();
}
