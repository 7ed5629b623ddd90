using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace Rivulet.Connectors.Kafka.Source.Metrics;

/// <summary>
/// The Kafka source's metrics (System.Diagnostics.Metrics, meter "Rivulet.Connectors.Kafka.Source"):
/// per partition the current offset, committed offset and lag; per subtask records read, skipped
/// and failed, and offset commits.
/// </summary>
public sealed class KafkaSourceMetrics : IDisposable
{
    /// <summary>The name of the meter all the source's instruments belong to: listen to it to collect them.</summary>
    public const string MeterName = "Rivulet.Connectors.Kafka.Source";

    private readonly Meter _meter;
    private readonly KeyValuePair<string, object?>[] _tags;
    private readonly ConcurrentDictionary<KafkaTopicPartition, PartitionGauges> _partitions = new();
    private readonly Counter<long> _read;
    private readonly Counter<long> _skipped;
    private readonly Counter<long> _failed;
    private readonly Counter<long> _commitsSucceeded;
    private readonly Counter<long> _commitsFailed;
    private long _readTotal;
    private long _skippedTotal;
    private long _commitsFailedTotal;
    private ConsumerStatistics? _client;

    /// <summary>Creates the instruments of one source subtask, tagged with <paramref name="operatorName"/> and <paramref name="subtaskIndex"/>; dispose it to remove them.</summary>
    public KafkaSourceMetrics(string operatorName, int subtaskIndex)
    {
        _meter = new Meter(MeterName);
        _tags = [new("operator", operatorName), new("subtask", subtaskIndex)];
        _read = _meter.CreateCounter<long>("rivulet.kafka.source.records_read", description: "Records read from Kafka and emitted");
        _skipped = _meter.CreateCounter<long>("rivulet.kafka.source.records_skipped", description: "Records the deserialization schema turned into null");
        _failed = _meter.CreateCounter<long>("rivulet.kafka.source.records_failed", description: "Records whose deserialization threw");
        _commitsSucceeded = _meter.CreateCounter<long>("rivulet.kafka.source.commits_succeeded", description: "Offset commits to the consumer group that succeeded");
        _commitsFailed = _meter.CreateCounter<long>("rivulet.kafka.source.commits_failed", description: "Offset commits to the consumer group that failed");
        _meter.CreateObservableGauge("rivulet.kafka.source.current_offset", () => Observe(p => p.Current), description: "Next offset to read");
        _meter.CreateObservableGauge("rivulet.kafka.source.committed_offset", () => Observe(p => p.Committed), description: "Offset last committed to the group");
        _meter.CreateObservableGauge("rivulet.kafka.source.lag", () => Observe(p => p.HighWatermark < 0 || p.Current < 0 ? -1 : Math.Max(0, p.HighWatermark - p.Current)), description: "High watermark minus current offset");
        _meter.CreateObservableGauge("rivulet.kafka.source.librdkafka.fetch_queue_messages", () => ObserveClient(s => s.FetchQueueMessages),
            description: "Messages librdkafka prefetched and holds for the source (statistics topics.*.partitions.*.fetchq_cnt)");
        _meter.CreateObservableGauge("rivulet.kafka.source.librdkafka.fetch_queue_bytes", () => ObserveClient(s => s.FetchQueueBytes), unit: "By",
            description: "Bytes librdkafka prefetched and holds for the source (statistics fetchq_size)");
        _meter.CreateObservableCounter("rivulet.kafka.source.librdkafka.messages_received", () => ObserveClient(s => s.MessagesReceived),
            description: "Messages librdkafka received from the brokers (statistics rxmsgs)");
        _meter.CreateObservableCounter("rivulet.kafka.source.librdkafka.bytes_received", () => ObserveClient(s => s.BytesReceived), unit: "By",
            description: "Message bytes librdkafka received from the brokers (statistics rxmsg_bytes)");
        _meter.CreateObservableCounter("rivulet.kafka.source.librdkafka.request_retries", () => ObserveClient(s => s.RequestRetries),
            description: "Requests librdkafka retried (statistics brokers.*.txretries)");
        _meter.CreateObservableCounter("rivulet.kafka.source.librdkafka.request_errors", () => ObserveClient(s => s.RequestErrors),
            description: "Requests that failed (statistics brokers.*.txerrs + rxerrs)");
    }

    /// <summary>Totals, for tests and the demo's progress display.</summary>
    public long RecordsRead => Interlocked.Read(ref _readTotal);

    /// <summary>Records the deserialization schema turned into null so far; grows by one per <see cref="RecordSkipped"/>.</summary>
    public long RecordsSkipped => Interlocked.Read(ref _skippedTotal);

    /// <summary>Offset commits to the consumer group (after completed checkpoints) that failed so far; grows by one per <see cref="CommitFailed"/>.</summary>
    public long CommitsFailed => Interlocked.Read(ref _commitsFailedTotal);

    /// <summary>The latest librdkafka statistics JSON of the subtask's consumer.</summary>
    public string? LatestStatistics { get; private set; }

    /// <summary>Takes in the consumer's statistics JSON (librdkafka's statistics callback).</summary>
    internal void RecordStatistics(string json)
    {
        LatestStatistics = json;
        _client = ConsumerStatistics.Parse(json);
    }

    /// <summary>Counts one record read from <paramref name="partition"/> and emitted, and sets the partition's current offset to <paramref name="nextOffset"/> (the next one to read).</summary>
    public void RecordRead(KafkaTopicPartition partition, long nextOffset) => RecordRead(GaugesOf(partition), nextOffset);

    /// <summary>Per record, with the partition's gauges at hand (no lookup). One writer: the source subtask's loop.</summary>
    internal void RecordRead(PartitionGauges gauges, long nextOffset)
    {
        // A single writer: a plain increment published with a volatile write costs less than a locked one.
        Volatile.Write(ref _readTotal, _readTotal + 1);
        _read.Add(1, _tags);
        gauges.Current = nextOffset;
    }

    internal PartitionGauges GaugesOf(KafkaTopicPartition partition) => _partitions.GetOrAdd(partition, _ => new PartitionGauges());

    /// <summary>Counts one record of <paramref name="partition"/> the schema turned into null, and sets the partition's current offset to <paramref name="nextOffset"/>.</summary>
    public void RecordSkipped(KafkaTopicPartition partition, long nextOffset)
    {
        Interlocked.Increment(ref _skippedTotal);
        _skipped.Add(1, _tags);
        GaugesOf(partition).Current = nextOffset;
    }

    /// <summary>Counts one record whose deserialization threw (<c>rivulet.kafka.source.records_failed</c>; no running total).</summary>
    public void RecordFailed() => _failed.Add(1, _tags);

    /// <summary>Sets the current offset (the next one to read) of <paramref name="partition"/> without counting a record, as when the partition is assigned.</summary>
    public void SetPosition(KafkaTopicPartition partition, long nextOffset) => GaugesOf(partition).Current = nextOffset;

    /// <summary>Sets the high watermark (offset after the last record) of <paramref name="partition"/>, from which its lag is computed.</summary>
    public void SetHighWatermark(KafkaTopicPartition partition, long highWatermark) => GaugesOf(partition).HighWatermark = highWatermark;

    /// <summary>Counts one successful offset commit and sets the committed offset of every partition in <paramref name="offsets"/>.</summary>
    public void CommitSucceeded(IReadOnlyDictionary<KafkaTopicPartition, long> offsets)
    {
        _commitsSucceeded.Add(1, _tags);
        foreach (var (partition, offset) in offsets)
        {
            GaugesOf(partition).Committed = offset;
        }
    }

    /// <summary>Counts one failed offset commit (<see cref="CommitsFailed"/> and <c>rivulet.kafka.source.commits_failed</c>).</summary>
    public void CommitFailed()
    {
        Interlocked.Increment(ref _commitsFailedTotal);
        _commitsFailed.Add(1, _tags);
    }

    /// <summary>The high watermark of <paramref name="partition"/> minus its current offset (at least 0), or -1 while either is unknown.</summary>
    public long Lag(KafkaTopicPartition partition) =>
        _partitions.TryGetValue(partition, out var p) && p.HighWatermark >= 0 && p.Current >= 0 ? Math.Max(0, p.HighWatermark - p.Current) : -1;

    /// <summary>The offset of <paramref name="partition"/> last committed to the group by this instance, or -1 before the first successful commit.</summary>
    public long CommittedOffset(KafkaTopicPartition partition) =>
        _partitions.TryGetValue(partition, out var p) ? p.Committed : -1;

    /// <inheritdoc />
    public void Dispose() => _meter.Dispose();


    private IEnumerable<Measurement<long>> Observe(Func<PartitionGauges, long> value) =>
        _partitions.Select(p => new Measurement<long>(value(p.Value), [.. _tags, new("topic", p.Key.Topic), new("partition", p.Key.Partition)]));

    private IEnumerable<Measurement<long>> ObserveClient(Func<ConsumerStatistics, long> figure) =>
        _client is { } client ? [new Measurement<long>(figure(client), _tags)] : [];

    internal sealed class PartitionGauges
    {
        public long Current { get; set; } = -1;

        public long Committed { get; set; } = -1;

        public long HighWatermark { get; set; } = -1;
    }
}
