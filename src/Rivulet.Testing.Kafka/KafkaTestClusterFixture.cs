namespace Rivulet.Testing.Kafka;

/// <summary>
/// An xunit class/collection fixture: one 3-broker test cluster shared by the tests of a class,
/// disposed after them. Tests create their own uniquely named topics.
/// </summary>
public class KafkaTestClusterFixture : IDisposable
{
    /// <summary>Starts a 3-broker test cluster.</summary>
    public KafkaTestClusterFixture() : this(3)
    {
    }

    /// <summary>Starts a test cluster of <paramref name="brokerCount"/> brokers (for derived fixtures that need another size).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="brokerCount"/> is less than 1.</exception>
    protected KafkaTestClusterFixture(int brokerCount)
    {
        Cluster = KafkaTestCluster.Start(brokerCount);
    }

    /// <summary>The shared test cluster (to create topics, take brokers down or inject errors).</summary>
    public KafkaTestCluster Cluster { get; }

    /// <summary>The cluster's bootstrap servers (<see cref="KafkaTestCluster.BootstrapServers"/>).</summary>
    public string BootstrapServers => Cluster.BootstrapServers;

    /// <summary>A topic name no other test in this process uses.</summary>
    public static string UniqueTopic(string prefix = "t") => $"{prefix}-{Guid.NewGuid():N}";

    /// <inheritdoc />
    public void Dispose()
    {
        Cluster.Dispose();
        GC.SuppressFinalize(this);
    }
}
