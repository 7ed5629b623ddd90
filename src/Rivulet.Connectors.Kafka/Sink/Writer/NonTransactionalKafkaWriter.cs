using Microsoft.Extensions.Logging;
using Rivulet.Connectors.Kafka.Sink.Metrics;
using Rivulet.Connectors.Kafka.Sink.Partitioning;
using Rivulet.Connectors.Kafka.Sink.Serialization;
using Rivulet.Connectors.Kafka.Sink.Transactions;

namespace Rivulet.Connectors.Kafka.Sink.Writer;

/// <summary>
/// NONE and AT_LEAST_ONCE: one idempotence-agnostic producer. With AT_LEAST_ONCE (and
/// <c>FlushOnCheckpoint</c>) a checkpoint waits until everything sent before its barrier is
/// acknowledged, so a completed checkpoint never stands for records that were lost.
/// </summary>
internal sealed class NonTransactionalKafkaWriter<T> : IKafkaSinkWriter<T>
{
    private readonly KafkaSinkSettings _settings;
    private readonly KafkaRecordSender _sender;
    private readonly TopicPartitionsCache _topics;
    private readonly KafkaRecordRouter<T> _router;
    private readonly ILogger _logger;

    public NonTransactionalKafkaWriter(KafkaSinkSettings settings, IKafkaSerializationSchema<T> schema, KafkaPartitioner<T>? partitioner, KafkaSinkMetrics metrics, ILogger logger,
        CancellationToken cancellation)
    {
        _settings = settings;
        _logger = logger;
        KafkaRecordSender? sender = null;
        var producer = KafkaProducerFactory.Create(settings.ClientProperties, transactionalId: null, metrics, logger, onFatalError: error => sender?.FailFatally(error));
        _sender = sender = new KafkaRecordSender(producer, metrics, settings.LogFailuresOnly, logger, cancellation);
        _topics = new TopicPartitionsCache(producer.Handle, settings.ClientTimeout);
        _router = new KafkaRecordRouter<T>(settings.DefaultTopic, schema, partitioner, settings.WriteTimestampToKafka, _topics.PartitionsOf);
    }

    public void Write(T element, long? timestampMs)
    {
        var (target, message) = _router.Route(element, timestampMs);
        _sender.Send(target, message);
    }

    public IReadOnlyList<PendingTransaction> SnapshotState(long checkpointId)
    {
        if (_settings.Semantic == Semantic.AtLeastOnce && _settings.FlushOnCheckpoint)
        {
            _sender.Flush();
        }
        else
        {
            _sender.ThrowIfFailed();
        }

        return [];
    }

    public void NotifyCheckpointComplete(long checkpointId)
    {
    }

    public void FlushAtEndOfInput() => _sender.Flush();

    public void Finish() => _sender.Flush();

    public void Dispose()
    {
        var failures = ClientDisposal.CloseAll([_topics.Dispose, _sender.Producer.Dispose], _logger);
        if (failures.Count > 0)
        {
            throw new AggregateException("Closing the Kafka sink's clients failed.", failures);
        }
    }
}
