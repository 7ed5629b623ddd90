using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace Rivulet.Connectors.Kafka.Sink.Metrics;

/// <summary>
/// The Kafka sink's metrics (meter "Rivulet.Connectors.Kafka.Sink", tagged with operator and
/// subtask): records sent, acknowledged and failed; transactions committed, aborted and recovered
/// after a restart; and librdkafka's own statistics of the subtask's producers.
/// </summary>
internal sealed class KafkaSinkMetrics : IDisposable
{
    public const string MeterName = "Rivulet.Connectors.Kafka.Sink";

    private readonly Meter _meter = new(MeterName);
    private readonly KeyValuePair<string, object?>[] _tags;
    private readonly Counter<long> _sent;
    private readonly Counter<long> _acknowledged;
    private readonly Counter<long> _failed;
    private readonly Counter<long> _committed;
    private readonly Counter<long> _aborted;
    private readonly Counter<long> _recovered;
    private readonly Counter<long> _lost;

    // The latest statistics of each producer of this subtask (a transactional pool has several).
    private readonly ConcurrentDictionary<string, ProducerStatistics> _producers = new(StringComparer.Ordinal);
    private long _sentTotal;
    private long _acknowledgedTotal;
    private long _failedTotal;
    private long _committedTotal;
    private long _abortedTotal;
    private long _recoveredTotal;
    private long _lostTotal;

    public KafkaSinkMetrics(string operatorName, int subtaskIndex)
    {
        _tags = [new("operator", operatorName), new("subtask", subtaskIndex)];
        _sent = _meter.CreateCounter<long>("rivulet.kafka.sink.records_sent", description: "Records handed to the Kafka producer");
        _acknowledged = _meter.CreateCounter<long>("rivulet.kafka.sink.records_acknowledged", description: "Records the brokers acknowledged");
        _failed = _meter.CreateCounter<long>("rivulet.kafka.sink.records_failed", description: "Records whose delivery failed");
        _committed = _meter.CreateCounter<long>("rivulet.kafka.sink.transactions_committed", description: "Transactions committed");
        _aborted = _meter.CreateCounter<long>("rivulet.kafka.sink.transactions_aborted", description: "Transactions aborted");
        _recovered = _meter.CreateCounter<long>("rivulet.kafka.sink.transactions_recovered", description: "Pre-committed transactions committed after a restart");
        _lost = _meter.CreateCounter<long>("rivulet.kafka.sink.transactions_lost",
            description: "Transactions of completed checkpoints found aborted after a restart and skipped (only with IgnoreFailuresAfterTransactionTimeout)");
        _meter.CreateObservableGauge("rivulet.kafka.sink.librdkafka.queued_messages", () => Observe(s => s.QueuedMessages),
            description: "Messages waiting in librdkafka's queues (statistics msg_cnt)");
        _meter.CreateObservableGauge("rivulet.kafka.sink.librdkafka.queued_bytes", () => Observe(s => s.QueuedBytes), unit: "By",
            description: "Bytes waiting in librdkafka's queues (statistics msg_size)");
        _meter.CreateObservableCounter("rivulet.kafka.sink.librdkafka.messages_sent", () => Observe(s => s.MessagesSent),
            description: "Messages librdkafka transmitted to the brokers (statistics txmsgs)");
        _meter.CreateObservableCounter("rivulet.kafka.sink.librdkafka.bytes_sent", () => Observe(s => s.BytesSent), unit: "By",
            description: "Message bytes librdkafka transmitted to the brokers (statistics txmsg_bytes)");
        _meter.CreateObservableCounter("rivulet.kafka.sink.librdkafka.request_retries", () => Observe(s => s.RequestRetries),
            description: "Requests librdkafka retried (statistics brokers.*.txretries)");
        _meter.CreateObservableCounter("rivulet.kafka.sink.librdkafka.request_errors", () => Observe(s => s.RequestErrors),
            description: "Requests that failed to transmit (statistics brokers.*.txerrs)");
    }

    public long RecordsSent => Interlocked.Read(ref _sentTotal);

    public long RecordsAcknowledged => Interlocked.Read(ref _acknowledgedTotal);

    public long RecordsFailed => Interlocked.Read(ref _failedTotal);

    public long TransactionsCommitted => Interlocked.Read(ref _committedTotal);

    public long TransactionsAborted => Interlocked.Read(ref _abortedTotal);

    public long TransactionsRecovered => Interlocked.Read(ref _recoveredTotal);

    public long TransactionsLost => Interlocked.Read(ref _lostTotal);

    /// <summary>The latest librdkafka statistics JSON of the sink's producers (any of them).</summary>
    public string? LatestStatistics { get; private set; }

    /// <summary>Takes in a producer's statistics JSON (librdkafka's statistics callback).</summary>
    internal void RecordStatistics(string json)
    {
        LatestStatistics = json;
        var statistics = ProducerStatistics.Parse(json);
        _producers[statistics.ProducerName] = statistics;
    }

    internal void Sent() => Count(_sent, ref _sentTotal);

    internal void Acknowledged() => Count(_acknowledged, ref _acknowledgedTotal);

    internal void Failed() => Count(_failed, ref _failedTotal);

    internal void Committed() => Count(_committed, ref _committedTotal);

    internal void Aborted() => Count(_aborted, ref _abortedTotal);

    internal void Recovered() => Count(_recovered, ref _recoveredTotal);

    internal void Lost() => Count(_lost, ref _lostTotal);

    public void Dispose() => _meter.Dispose();

    private Measurement<long> Observe(Func<ProducerStatistics, long> figure) =>
        new(_producers.Values.Sum(figure), _tags);

    private void Count(Counter<long> counter, ref long total)
    {
        Interlocked.Increment(ref total);
        counter.Add(1, _tags);
    }
}
