using System.Globalization;
using System.Text;
using Confluent.Kafka;
using Rivulet.Connectors.Kafka.Native;

namespace Rivulet.Cli.Demo;

/// <summary>Writes the demo's input: records i = 0 … n-1, key k&lt;i mod 1000&gt;, value i.</summary>
public sealed class DemoInputWriter : IDisposable
{
    private readonly IProducer<byte[], byte[]> _producer;
    private readonly string _topic;
    private readonly Action<DeliveryReport<byte[], byte[]>> _onDelivery;
    private volatile Error? _deliveryError;

    public DemoInputWriter(string bootstrapServers, string topic)
    {
        LibrdkafkaLoader.EnsureLoaded();
        _topic = topic;
        _onDelivery = report =>
        {
            if (report.Error.IsError)
            {
                _deliveryError = report.Error;
            }
        };
        _producer = new ProducerBuilder<byte[], byte[]>(new ProducerConfig
        {
            BootstrapServers = bootstrapServers,
            EnableIdempotence = true,
            LingerMs = 5,
            Partitioner = Partitioner.Murmur2Random,
        }).Build();
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

            while (true)
            {
                try
                {
                    _producer.Produce(_topic, new Message<byte[], byte[]>
                    {
                        Key = Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"k{i % 1000}")),
                        Value = Encoding.UTF8.GetBytes(i.ToString(CultureInfo.InvariantCulture)),
                    }, _onDelivery);
                    break;
                }
                catch (ProduceException<byte[], byte[]> e) when (e.Error.Code == ErrorCode.Local_QueueFull)
                {
                    _producer.Flush(TimeSpan.FromMilliseconds(100));
                }
            }

            Written = i + 1;
        }

        while (_producer.Flush(TimeSpan.FromSeconds(1)) > 0)
        {
        }

        if (_deliveryError is { } error)
        {
            throw new KafkaException(new Error(error.Code, $"Writing the demo input to '{_topic}' failed: {error.Reason}"));
        }
    }

    public void Dispose() => _producer.Dispose();
}
