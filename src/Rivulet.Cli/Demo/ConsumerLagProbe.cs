using Confluent.Kafka;

namespace Rivulet.Cli.Demo;

/// <summary>
/// Measures <see cref="InputProgress"/> from outside the job: the input's end offsets against the
/// offsets the job's group committed, both counted from where this run's input begins.
/// </summary>
/// <remarks>
/// A failed request replaces the client: after a broker restart a client can keep answering
/// "Unknown partition" from metadata it no longer refreshes, and the progress display would then
/// freeze while the job runs on (and the demo would wrongly report a stall).
/// </remarks>
internal sealed class ConsumerLagProbe : IDisposable
{
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(10);

    private readonly string _bootstrapServers;
    private readonly string _groupId;
    private readonly IReadOnlyDictionary<int, long> _startOffsets;
    private readonly List<TopicPartition> _partitions;
    // Measure runs on the display loop and Describe on the stall check; the client is replaced under it.
    private readonly Lock _gate = new();
    private IConsumer<Ignore, Ignore> _consumer;

    public ConsumerLagProbe(string bootstrapServers, string topic, string groupId, IReadOnlyDictionary<int, long> startOffsets)
    {
        _bootstrapServers = bootstrapServers;
        _groupId = groupId;
        _startOffsets = startOffsets;
        _partitions = [.. startOffsets.Keys.Order().Select(p => new TopicPartition(topic, p))];
        _consumer = NewClient();
    }

    public InputProgress Measure()
    {
        lock (_gate)
        {
            try
            {
                return MeasureOnce();
            }
            catch (KafkaException)
            {
                Renew();
                throw;
            }
        }
    }

    private InputProgress MeasureOnce()
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
        lock (_gate)
        {
            return DescribeOnce();
        }
    }

    private string DescribeOnce()
    {
        try
        {
            var committed = _consumer.Committed(_partitions, RequestTimeout).ToDictionary(c => c.Partition.Value, c => c.Offset.Value);
            return string.Join(", ", _partitions.Select(tp =>
                $"partition {tp.Partition.Value}: from {_startOffsets[tp.Partition.Value]} to {_consumer.QueryWatermarkOffsets(tp, RequestTimeout).High.Value}, committed {committed.GetValueOrDefault(tp.Partition.Value, -1)}"));
        }
        catch (KafkaException e)
        {
            Renew();
            return $"(the input's offsets could not be read: {e.Error.Reason})";
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _consumer.Dispose();
        }
    }

    private void Renew()
    {
        _consumer.Dispose();
        _consumer = NewClient();
    }

    private IConsumer<Ignore, Ignore> NewClient() =>
        new ConsumerBuilder<Ignore, Ignore>(new ConsumerConfig
        {
            BootstrapServers = _bootstrapServers,
            GroupId = _groupId,
            EnableAutoCommit = false,
        }).SetLogHandler((_, _) => { }).SetErrorHandler((_, _) => { }).Build();
}
