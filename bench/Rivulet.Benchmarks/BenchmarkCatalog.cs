using Rivulet.Benchmarks.Cluster;
using Rivulet.Benchmarks.Engine;
using Rivulet.Benchmarks.Kafka;
using Rivulet.Benchmarks.Transport;
using Rivulet.Benchmarks.Windows;

namespace Rivulet.Benchmarks;

/// <summary>
/// Every benchmark <c>rivulet bench</c> knows, in the order the usage text lists them. A new
/// benchmark is one <see cref="IBenchmark"/> in its own folder plus one line here.
/// </summary>
internal static class BenchmarkCatalog
{
    public static IReadOnlyList<IBenchmark> All { get; } =
    [
        new EngineBenchmark(),
        new SourceBenchmark(),
        new SinkBenchmark(),
        new WindowsBenchmark(),
        new ClusterBenchmark(),
        new TransportBenchmark(),
    ];

    public static IBenchmark? Find(string name) => All.FirstOrDefault(b => string.Equals(b.Name, name, StringComparison.OrdinalIgnoreCase));
}
