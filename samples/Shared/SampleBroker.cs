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

    /// <param name="bootstrapServers">The user's cluster, or null for an embedded one.</param>
    /// <param name="topic">The topic the embedded broker starts with.</param>
    /// <param name="otherSample">The sample to suggest running against the embedded broker, if any.</param>
    /// <param name="moreTopics">Further topics the embedded broker starts with.</param>
    public static SampleBroker Connect(string? bootstrapServers, string topic, string? otherSample, params string[] moreTopics)
    {
        if (!string.IsNullOrWhiteSpace(bootstrapServers))
        {
            return new SampleBroker(bootstrapServers, null);
        }

        var cluster = KafkaTestCluster.Start(brokerCount: 1);
        string[] topics = [topic, .. moreTopics];
        foreach (var name in topics)
        {
            cluster.CreateTopic(name, partitions: 1);
        }

        // On standard error, so standard output carries only what the job prints.
        Console.Error.WriteLine($"embedded test broker: {cluster.BootstrapServers} (topic {string.Join(", ", topics)}); it runs as long as this program.");
        if (otherSample is not null)
        {
            Console.Error.WriteLine($"in another terminal: dotnet run --project samples/{otherSample} -- --bootstrap-servers {cluster.BootstrapServers}");
        }

        return new SampleBroker(cluster.BootstrapServers, cluster);
    }

    /// <summary>Whether the broker runs inside this program (no --bootstrap-servers given).</summary>
    public bool IsEmbedded => _embedded is not null;

    public void Dispose() => _embedded?.Dispose();
}
