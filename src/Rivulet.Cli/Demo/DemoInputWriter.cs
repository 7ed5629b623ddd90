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

    public DemoInputWriter(string bootstrapServers, string topic)
    {
        LibrdkafkaLoader.EnsureLoaded();
        _topic = topic;
        _producer = new ProducerBuilder<byte[], byte[]>(new ProducerConfig
        {
            BootstrapServers = bootstrapServers,
            EnableIdempotence = true,
            LingerMs = 5,
            Partitioner = Partitioner.Murmur2Random,
        }).Build();
    }

    public long Written { get; private set; }

    /// <summary>Writes records [from, to), waiting at most <paramref name="perRecord"/> between them (0 = as fast as possible).</summary>
    public async Task WriteAsync(long from, long to, double recordsPerSecond, CancellationToken cancellationToken)
    {
        var started = DateTime.UtcNow;
        for (var i = from; i < to; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (recordsPerSecond > 0)
            {
                var due = started + TimeSpan.FromSeconds((i - from) / recordsPerSecond);
                var wait = due - DateTime.UtcNow;
                if (wait > TimeSpan.FromMilliseconds(1))
                {
                    await Task.Delay(wait, cancellationToken);
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
                    });
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
            cancellationToken.ThrowIfCancellationRequested();
        }
    }

    public void Dispose() => _producer.Dispose();
}
