using Rivulet.Testing.Kafka;

namespace Rivulet.Samples;

/// <summary>
/// The Kafka cluster a sample talks to: the one named by <c>--bootstrap-servers</c>, or else an
/// embedded test broker started in the sample's own process (with the sample's topic), whose
/// address is printed so the other sample can join it from a second terminal.
/// </summary>
internal sealed class SampleBroker : IDisposable
{
    private readonly KafkaTestCluster? _embedded;

    private SampleBroker(string bootstrapServers, KafkaTestCluster? embedded)
    {
        BootstrapServers = bootstrapServers;
        _embedded = embedded;
    }

    public string BootstrapServers { get; }

    public static SampleBroker Connect(string? bootstrapServers, string topic, string otherSample)
    {
        if (!string.IsNullOrWhiteSpace(bootstrapServers))
        {
            return new SampleBroker(bootstrapServers, null);
        }

        var cluster = KafkaTestCluster.Start(brokerCount: 1);
        cluster.CreateTopic(topic, partitions: 1);
        // On standard error, so standard output carries only what the job prints.
        Console.Error.WriteLine($"embedded test broker: {cluster.BootstrapServers} (topic {topic}); it runs as long as this program.");
        Console.Error.WriteLine($"in another terminal: dotnet run --project samples/{otherSample} -- --bootstrap-servers {cluster.BootstrapServers}");
        return new SampleBroker(cluster.BootstrapServers, cluster);
    }

    public void Dispose() => _embedded?.Dispose();
}
