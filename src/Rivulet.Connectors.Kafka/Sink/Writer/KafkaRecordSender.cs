using Confluent.Kafka;
using Microsoft.Extensions.Logging;
using Rivulet.Connectors.Kafka.Sink.Metrics;
using Rivulet.Connectors.Kafka.Sink.Transactions;

namespace Rivulet.Connectors.Kafka.Sink.Writer;

/// <summary>
/// Sends records through one producer and keeps account of their delivery: how many are still
/// unacknowledged, and the first asynchronous failure — raised at the next send or flush, or
/// only logged and counted with <c>LogFailuresOnly</c>. Nothing fails silently.
/// </summary>
/// <remarks>Both waits — for room in a full send queue and for a flush — end when <paramref name="cancellation"/> (the subtask's) is cancelled.</remarks>
internal sealed class KafkaRecordSender(IProducer<byte[]?, byte[]?> producer, KafkaSinkMetrics metrics, bool logFailuresOnly, ILogger logger, CancellationToken cancellation)
{
    private static readonly TimeSpan FlushSlice = TimeSpan.FromMilliseconds(100);
    private Action<DeliveryReport<byte[]?, byte[]?>>? _deliveryHandler;
    private long _pending;
    private volatile Exception? _failure;
    private volatile Exception? _fatal;
    private TransactionRecordPosition? _firstAcknowledged;

    public IProducer<byte[]?, byte[]?> Producer => producer;

    /// <summary>Records sent and not yet acknowledged or failed.</summary>
    public long Pending => Interlocked.Read(ref _pending);

    /// <summary>
    /// Where the broker stored the first record acknowledged since <see cref="RestartPositionTracking"/>
    /// (for a transactional producer: its transaction's first record), or null when none was.
    /// </summary>
    public TransactionRecordPosition? FirstAcknowledged => Volatile.Read(ref _firstAcknowledged);

    /// <summary>Forgets the first acknowledged position; call when nothing sent before is unacknowledged (a new transaction).</summary>
    public void RestartPositionTracking() => Volatile.Write(ref _firstAcknowledged, null);

    public void Send(TopicPartition target, Message<byte[]?, byte[]?> message)
    {
        ThrowIfFailed();
        while (true)
        {
            try
            {
                Interlocked.Increment(ref _pending);
                _deliveryHandler ??= OnDelivery;
                if (target.Partition == Partition.Any)
                {
                    producer.Produce(target.Topic, message, _deliveryHandler);
                }
                else
                {
                    producer.Produce(target, message, _deliveryHandler);
                }

                metrics.Sent();
                return;
            }
            catch (ProduceException<byte[]?, byte[]?> e) when (e.Error.Code == ErrorCode.Local_QueueFull)
            {
                // The client's send queue is full: wait for deliveries to make room. This is the
                // sink's backpressure; it propagates upstream through the bounded channels.
                Interlocked.Decrement(ref _pending);
                cancellation.ThrowIfCancellationRequested();
                producer.Flush(FlushSlice);
            }
            catch (ProduceException<byte[]?, byte[]?> e)
            {
                // librdkafka refuses at once what it already knows will fail (for example a topic
                // the brokers denied): the same failure as a delivery report, handled the same way.
                Interlocked.Decrement(ref _pending);
                Fail($"topic '{target.Topic}', partition {target.Partition.Value}: {e.Error.Code}: {e.Error.Reason}", e.Error.Code);
                ThrowIfFailed();
                return;
            }
            catch
            {
                Interlocked.Decrement(ref _pending);
                throw;
            }
        }
    }

    /// <summary>Waits until every record sent so far is acknowledged, then raises any failure.</summary>
    public void Flush()
    {
        while (Pending > 0)
        {
            cancellation.ThrowIfCancellationRequested();
            producer.Flush(FlushSlice);
        }

        ThrowIfFailed();
    }

    /// <summary>
    /// The producer hit a fatal error (for a transactional producer: it was fenced). It is the
    /// cause of the delivery failures that follow (librdkafka purges what was queued), so it is
    /// what the next send or flush reports, whether or not <c>LogFailuresOnly</c> is set: a
    /// producer in this state can deliver nothing more.
    /// </summary>
    public void FailFatally(Error error)
    {
        _fatal = new KafkaException(error);
        _failure = _fatal;
    }

    public void ThrowIfFailed()
    {
        if (_failure is { } failure)
        {
            throw new KafkaException(new Error(ErrorCode.Local_Fail, $"The Kafka sink failed to deliver a record: {failure.Message}"), failure);
        }
    }

    private void OnDelivery(DeliveryReport<byte[]?, byte[]?> report)
    {
        if (report.Error.IsError)
        {
            Fail($"topic '{report.Topic}', partition {report.Partition.Value}: {report.Error.Code}: {report.Error.Reason}", report.Error.Code);
        }
        else
        {
            metrics.Acknowledged();
            if (Volatile.Read(ref _firstAcknowledged) is null && report.Offset.Value >= 0)
            {
                // Delivery reports come from one librdkafka thread, so no other report races this one.
                // (An acknowledgement without an offset, as some brokers give a repeated batch, cannot serve as a position.)
                Volatile.Write(ref _firstAcknowledged, new TransactionRecordPosition(report.Topic, report.Partition.Value, report.Offset.Value));
            }
        }

        Interlocked.Decrement(ref _pending);
    }

    private void Fail(string message, ErrorCode code)
    {
        metrics.Failed();
        if (logFailuresOnly)
        {
            logger.LogError("Kafka sink: a record was not delivered ({Failure}); continuing because LogFailuresOnly is set", message);
        }
        else if (_fatal is null)
        {
            _failure ??= new KafkaException(new Error(code, message));
        }
    }
}
