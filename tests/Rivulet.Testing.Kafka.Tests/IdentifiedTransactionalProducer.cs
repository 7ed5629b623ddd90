using Confluent.Kafka;
using Rivulet.Connectors.Kafka.Sink.Transactions;

namespace Rivulet.Testing.Kafka.Tests;

/// <summary>
/// A transactional producer that also tells its producer id and epoch — librdkafka reports them
/// only in its statistics — so a test can end its transaction from another connection, as a
/// restarted job does.
/// </summary>
internal sealed class IdentifiedTransactionalProducer : IDisposable
{
    private readonly object _gate = new();
    private ProducerIdentity? _latest;

    public IdentifiedTransactionalProducer(string bootstrap, string transactionalId, int transactionTimeoutMs = 60_000)
    {
        TransactionalId = transactionalId;
        Producer = KafkaClients.Producer(bootstrap, c =>
        {
            c.TransactionalId = transactionalId;
            c.EnableIdempotence = true;
            c.TransactionTimeoutMs = transactionTimeoutMs;
            c.StatisticsIntervalMs = 100;
        }, builder => builder.SetStatisticsHandler((_, json) =>
        {
            var identity = ProducerIdentity.FromStatistics(json);
            lock (_gate)
            {
                _latest = identity ?? _latest;
                Monitor.PulseAll(_gate);
            }
        }));
    }

    public string TransactionalId { get; }

    public IProducer<string, string> Producer { get; }

    /// <summary>Waits for a statistics snapshot that shows the producer in a transaction, and returns its id and epoch.</summary>
    public ProducerIdentity IdentityInTransaction(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        lock (_gate)
        {
            while (_latest is not { TransactionState: "InTransaction" })
            {
                var left = deadline - DateTime.UtcNow;
                if (left <= TimeSpan.Zero)
                {
                    throw new TimeoutException($"'{TransactionalId}' reported no producer id in a transaction within {timeout}; last seen: {_latest}");
                }

                Monitor.Wait(_gate, left);
            }

            return _latest.Value;
        }
    }

    /// <summary>Begins a transaction and writes <paramref name="values"/> to partition 0, flushed, so the brokers hold them.</summary>
    public void WriteInTransaction(string topic, IEnumerable<string> values, TimeSpan timeout)
    {
        Producer.BeginTransaction();
        foreach (var value in values)
        {
            Producer.Produce(new TopicPartition(topic, 0), new Message<string, string> { Key = "k", Value = value });
        }

        Producer.Flush(timeout);
    }

    public void Dispose() => Producer.Dispose();
}
