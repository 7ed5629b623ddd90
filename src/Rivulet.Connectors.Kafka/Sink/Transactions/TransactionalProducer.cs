using Confluent.Kafka;
using Microsoft.Extensions.Logging;
using Rivulet.Connectors.Kafka.Sink.Metrics;
using Rivulet.Connectors.Kafka.Sink.Writer;

namespace Rivulet.Connectors.Kafka.Sink.Transactions;

/// <summary>
/// One transactional id of a sink subtask's pool with its producer: InitTransactions at creation
/// (fencing earlier producers of the id and aborting what they left open), and the producer id
/// and epoch librdkafka reports in its statistics.
/// </summary>
internal sealed class TransactionalProducer : IDisposable
{
    private readonly object _identityGate = new();
    private ProducerIdentity? _identity;
    private long _statisticsSeen;

    // Set once the producer is initialized; its fatal errors (fencing) go to the sender from then on.
    private KafkaRecordSender? _sender;

    public TransactionalProducer(string transactionalId, KafkaSinkSettings settings, KafkaSinkMetrics metrics, ILogger logger, CancellationToken cancellationToken,
        bool needsIdentity = true)
    {
        TransactionalId = transactionalId;
        var producer = KafkaProducerFactory.Create(settings.ClientProperties, transactionalId, metrics, logger, OnStatistics, error => _sender?.FailFatally(error));
        try
        {
            CancellableTransactionCall.Run(producer.InitTransactions, settings.ClientTimeout, cancellationToken);
        }
        catch (KafkaException e) when (e.Error.Code == ErrorCode.InvalidTransactionTimeout)
        {
            producer.Dispose();
            var configured = settings.ClientProperties.TryGetValue("transaction.timeout.ms", out var t) ? t : $"{KafkaProducerFactory.DefaultTransactionTimeoutMs} (the default)";
            throw new ArgumentException(
                $"The brokers refused transaction.timeout.ms={configured} for transactional id '{transactionalId}': it is above their " +
                "transaction.max.timeout.ms. Lower 'transaction.timeout.ms' in the sink's properties (it must still exceed the longest " +
                "expected downtime plus the checkpoint interval) or raise transaction.max.timeout.ms on the brokers.", e);
        }
        catch
        {
            producer.Dispose();
            throw;
        }

        // Only snapshots taken after InitTransactions carry this producer's id and epoch.
        var initialized = Interlocked.Read(ref _statisticsSeen);
        try
        {
            if (needsIdentity)
            {
                Identity = WaitForIdentity(initialized, settings.ClientTimeout, cancellationToken);
            }
        }
        catch
        {
            producer.Dispose();
            throw;
        }

        _sender = new KafkaRecordSender(producer, metrics, logFailuresOnly: false, logger, cancellationToken);
    }

    public string TransactionalId { get; }

    public KafkaRecordSender Sender => _sender!;

    public IProducer<byte[]?, byte[]?> Producer => Sender.Producer;

    /// <summary>Producer id and epoch after InitTransactions; they stay until the producer is recreated.</summary>
    public ProducerIdentity Identity { get; private set; }

    /// <summary>Records written in the open transaction.</summary>
    public long RecordsInTransaction { get; set; }

    /// <summary>
    /// The latest producer id/epoch the statistics report; the epoch only moves if the client
    /// bumped it, which must then be what a recovery commit uses.
    /// </summary>
    public ProducerIdentity CurrentIdentity()
    {
        lock (_identityGate)
        {
            if (_identity is { } latest && (latest.ProducerId != Identity.ProducerId || latest.ProducerEpoch != Identity.ProducerEpoch))
            {
                Identity = latest;
            }

            return Identity;
        }
    }

    public void Dispose() => Producer.Dispose();

    private void OnStatistics(string json)
    {
        var identity = ProducerIdentity.FromStatistics(json);
        lock (_identityGate)
        {
            if (identity != null)
            {
                _identity = identity;
            }

            Interlocked.Increment(ref _statisticsSeen);
            Monitor.PulseAll(_identityGate);
        }
    }

    private ProducerIdentity WaitForIdentity(long seenBefore, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + timeout;
        lock (_identityGate)
        {
            // Statistics arrive on librdkafka's own thread, which pulses the gate.
            while (!(Interlocked.Read(ref _statisticsSeen) > seenBefore && _identity is not null))
            {
                cancellationToken.ThrowIfCancellationRequested();
                var left = deadline - DateTime.UtcNow;
                if (left <= TimeSpan.Zero)
                {
                    break;
                }

                Monitor.Wait(_identityGate, left < TimeSpan.FromMilliseconds(200) ? left : TimeSpan.FromMilliseconds(200));
            }

            if (Interlocked.Read(ref _statisticsSeen) > seenBefore && _identity is { } identity)
            {
                return identity;
            }
        }

        throw new TimeoutException(
            $"Transactional producer '{TransactionalId}' reported no producer id in its statistics within {timeout.TotalSeconds:0} s; " +
            "the sink needs them to recover transactions after a crash (is statistics.interval.ms disabled?).");
    }
}
