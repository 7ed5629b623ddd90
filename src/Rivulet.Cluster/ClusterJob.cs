using Rivulet.Core.Graph;
using Rivulet.Core.Runtime;

namespace Rivulet.Cluster;

/// <summary>The job every process of the cluster built from the same program: its graph, settings and this process's cluster settings.</summary>
internal sealed record ClusterJob(JobGraph Graph, JobGraphDescription Description, JobSettings Settings, JobMetrics Metrics, ClusterSettings Cluster)
{
    public string Name => Settings.JobName;
}
