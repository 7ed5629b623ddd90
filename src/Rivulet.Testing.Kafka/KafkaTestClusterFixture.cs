namespace Rivulet.Testing.Kafka;

/// <summary>
/// An xunit class/collection fixture: one 3-broker test cluster shared by the tests of a class,
/// disposed after them. Tests create their own uniquely named topics.
/// </summary>
public class KafkaTestClusterFixture : IDisposable
{
    public KafkaTestClusterFixture() : this(3)
    {
    }

    protected KafkaTestClusterFixture(int brokerCount)
    {
        Cluster = KafkaTestCluster.Start(brokerCount);
    }

    public KafkaTestCluster Cluster { get; }

    public string BootstrapServers => Cluster.BootstrapServers;

    /// <summary>A topic name no other test in this process uses.</summary>
    public static string UniqueTopic(string prefix = "t") => $"{prefix}-{Guid.NewGuid():N}";

    public void Dispose()
    {
        Cluster.Dispose();
        GC.SuppressFinalize(this);
    }
}
