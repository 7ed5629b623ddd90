using System.Diagnostics.Metrics;

namespace Rivulet.Connectors.Kafka.Sink.Metrics;

/// <summary>
/// The Kafka sink's metrics (meter "Rivulet.Connectors.Kafka.Sink"): records sent, acknowledged
/// and failed; transactions committed, aborted and recovered after a restart.
/// </summary>
public sealed class KafkaSinkMetrics : IDisposable
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
    private long _sentTotal;
    private long _acknowledgedTotal;
    private long _failedTotal;
    private long _committedTotal;
    private long _abortedTotal;
    private long _recoveredTotal;

    public KafkaSinkMetrics(string operatorName, int subtaskIndex)
    {
        _tags = [new("operator", operatorName), new("subtask", subtaskIndex)];
        _sent = _meter.CreateCounter<long>("rivulet.kafka.sink.records_sent", description: "Records handed to the Kafka producer");
        _acknowledged = _meter.CreateCounter<long>("rivulet.kafka.sink.records_acknowledged", description: "Records the brokers acknowledged");
        _failed = _meter.CreateCounter<long>("rivulet.kafka.sink.records_failed", description: "Records whose delivery failed");
        _committed = _meter.CreateCounter<long>("rivulet.kafka.sink.transactions_committed", description: "Transactions committed");
        _aborted = _meter.CreateCounter<long>("rivulet.kafka.sink.transactions_aborted", description: "Transactions aborted");
        _recovered = _meter.CreateCounter<long>("rivulet.kafka.sink.transactions_recovered", description: "Pre-committed transactions committed after a restart");
    }

    public long RecordsSent => Interlocked.Read(ref _sentTotal);

    public long RecordsAcknowledged => Interlocked.Read(ref _acknowledgedTotal);

    public long RecordsFailed => Interlocked.Read(ref _failedTotal);

    public long TransactionsCommitted => Interlocked.Read(ref _committedTotal);

    public long TransactionsAborted => Interlocked.Read(ref _abortedTotal);

    public long TransactionsRecovered => Interlocked.Read(ref _recoveredTotal);

    /// <summary>The latest librdkafka statistics JSON of the sink's producer.</summary>
    public string? LatestStatistics { get; internal set; }

    internal void Sent() => Count(_sent, ref _sentTotal);

    internal void Acknowledged() => Count(_acknowledged, ref _acknowledgedTotal);

    internal void Failed() => Count(_failed, ref _failedTotal);

    internal void Committed() => Count(_committed, ref _committedTotal);

    internal void Aborted() => Count(_aborted, ref _abortedTotal);

    internal void Recovered() => Count(_recovered, ref _recoveredTotal);

    public void Dispose() => _meter.Dispose();

    private void Count(Counter<long> counter, ref long total)
    {
        Interlocked.Increment(ref total);
        counter.Add(1, _tags);
    }
}
