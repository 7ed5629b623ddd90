using System.Collections.Concurrent;
using Rivulet.Core.Graph;
using Rivulet.Core.Runtime;

namespace Rivulet.Cluster;

/// <summary>The job every process of the cluster built from the same program: its graph, settings and this process's cluster settings.</summary>
/// <param name="Graph">The job graph at the job's own parallelism.</param>
/// <param name="BuildGraph">The graph again, with no operator above a parallelism (rescaled to fewer slots).</param>
/// <param name="Description">The graph's description and fingerprint, compared between processes.</param>
/// <param name="Settings">The job's settings.</param>
/// <param name="Metrics">The job's metrics in this process.</param>
/// <param name="Cluster">This process's cluster settings.</param>
internal sealed record ClusterJob(JobGraph Graph, Func<int, JobGraph> BuildGraph, JobGraphDescription Description, JobSettings Settings, JobMetrics Metrics, ClusterSettings Cluster)
{
    private readonly ConcurrentDictionary<int, JobGraph> _capped = new();

    public string Name => Settings.JobName;

    /// <summary>The graph for a deployment: the job's own, or capped at <paramref name="parallelismCap"/> (built once per cap; every process builds the same).</summary>
    public JobGraph GraphFor(int? parallelismCap) => parallelismCap is { } cap ? _capped.GetOrAdd(cap, BuildGraph) : Graph;
}
