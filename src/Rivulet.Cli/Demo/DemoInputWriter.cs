using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using Confluent.Kafka;

namespace Rivulet.Cli.Demo;

/// <summary>
/// Writes the demo's input: records i = 0 … n-1, key k&lt;i mod 1000&gt;, value i — each exactly
/// once, also while brokers fail: an idempotent producer, and a record the client reports as not
/// stored is written again (on a new producer when the old one failed for good). A record whose
/// fate the client cannot tell fails the writing, never silently.
/// </summary>
internal sealed class DemoInputWriter : IDisposable
{
    private readonly string _bootstrapServers;
    private readonly string _topic;
    private readonly ConcurrentQueue<long> _notStored = new();
    private readonly ConcurrentQueue<string> _unknown = new();
    private IProducer<byte[], byte[]> _producer;
    private volatile bool _producerFailed;

    public DemoInputWriter(string bootstrapServers, string topic)
    {
        _bootstrapServers = bootstrapServers;
        _topic = topic;
        _producer = CreateProducer();
    }

    public long Written { get; private set; }

    /// <summary>
    /// Writes records [from, to) at most <paramref name="recordsPerSecond"/> per second (0 = as
    /// fast as possible). Cancelling <paramref name="stop"/> ends the writing early but gracefully:
    /// every record produced so far is delivered before this returns, so <see cref="Written"/> is
    /// exactly what the topic holds.
    /// </summary>
    public async Task WriteAsync(long from, long to, double recordsPerSecond, CancellationToken stop)
    {
        var started = DateTime.UtcNow;
        for (var i = from; i < to && !stop.IsCancellationRequested; i++)
        {
            if (recordsPerSecond > 0)
            {
                var due = started + TimeSpan.FromSeconds((i - from) / recordsPerSecond);
                var wait = due - DateTime.UtcNow;
                if (wait > TimeSpan.FromMilliseconds(1))
                {
                    try
                    {
                        await Task.Delay(wait, stop);
                    }
                    catch (OperationCanceledException)
                    {
                        break;
                    }
                }
            }

            Produce(i);
            Written = i + 1;
        }

        // Until every record is stored: flush, and write again what the client says it did not store.
        while (true)
        {
            while (_producer.Flush(TimeSpan.FromSeconds(1)) > 0)
            {
            }

            if (!_unknown.IsEmpty)
            {
                throw new KafkaException(new Error(ErrorCode.Local_Fail,
                    $"Writing the demo input to '{_topic}' failed: the client cannot tell whether {_unknown.Count} record(s) were stored ({_unknown.First()})"));
            }

            if (_notStored.IsEmpty)
            {
                return;
            }

            if (_producerFailed)
            {
                _producer.Dispose();
                _producer = CreateProducer();
                _producerFailed = false;
            }

            while (_notStored.TryDequeue(out var index))
            {
                Produce(index);
            }
        }
    }

    public void Dispose() => _producer.Dispose();

    private void Produce(long index)
    {
        while (true)
        {
            try
            {
                _producer.Produce(_topic, new Message<byte[], byte[]>
                {
                    Key = Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"k{index % 1000}")),
                    Value = Encoding.UTF8.GetBytes(index.ToString(CultureInfo.InvariantCulture)),
                }, OnDelivery);
                return;
            }
            catch (ProduceException<byte[], byte[]> e) when (e.Error.Code == ErrorCode.Local_QueueFull)
            {
                _producer.Flush(TimeSpan.FromMilliseconds(100));
            }
        }
    }

    private void OnDelivery(DeliveryReport<byte[], byte[]> report)
    {
        if (!report.Error.IsError)
        {
            return;
        }

        if (report.Status == PersistenceStatus.NotPersisted)
        {
            _notStored.Enqueue(long.Parse(Encoding.UTF8.GetString(report.Message.Value), CultureInfo.InvariantCulture));
        }
        else
        {
            _unknown.Enqueue($"{report.Error.Code}: {report.Error.Reason}");
        }
    }

    private IProducer<byte[], byte[]> CreateProducer() =>
        new ProducerBuilder<byte[], byte[]>(new ProducerConfig
        {
            BootstrapServers = _bootstrapServers,
            EnableIdempotence = true,
            LingerMs = 5,
            Partitioner = Confluent.Kafka.Partitioner.Murmur2Random,
        }).SetLogHandler((_, _) => { }).SetErrorHandler((_, error) =>
        {
            if (error.IsFatal)
            {
                _producerFailed = true;
            }
        }).Build();
}
