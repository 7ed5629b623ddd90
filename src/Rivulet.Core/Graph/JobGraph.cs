using Rivulet.Core.Runtime;
using Rivulet.Core.Runtime.IO;

namespace Rivulet.Core.Graph;

/// <summary>The job as it runs: operator chains (vertices) with their parallelism.</summary>
internal sealed class JobGraph
{
    private JobGraph(IReadOnlyList<JobVertex> vertices, IReadOnlyDictionary<StreamNode, int> parallelism)
    {
        Vertices = vertices;
        ParallelismOf = parallelism;
    }

    public IReadOnlyList<JobVertex> Vertices { get; }

    public IReadOnlyDictionary<StreamNode, int> ParallelismOf { get; }

    public JobVertex VertexOf(StreamNode node) => Vertices.First(v => v.Chain.Contains(node));

    /// <summary>
    /// Resolves parallelism, checks the graph, and chains operators. With <paramref name="parallelismCap"/>,
    /// no operator runs with more subtasks than that (a cluster with fewer slots than the job wants).
    /// </summary>
    public static JobGraph Build(IReadOnlyList<StreamNode> nodes, int defaultParallelism, int maxParallelism, int? parallelismCap = null)
    {
        var parallelism = nodes.ToDictionary(n => n, n => Math.Min(n.Parallelism ?? defaultParallelism, parallelismCap ?? int.MaxValue));
        foreach (var node in nodes)
        {
            var p = parallelism[node];
            if (p < 1 || p > maxParallelism)
            {
                throw new InvalidOperationException($"Operator '{node.Name}': parallelism {p} must be between 1 and the max parallelism {maxParallelism}.");
            }

            if (!node.IsSource && node.Inputs.Count == 0)
            {
                throw new InvalidOperationException($"Operator '{node.Name}' has no input.");
            }
        }

        var uids = nodes.GroupBy(n => n.EffectiveUid).FirstOrDefault(g => g.Count() > 1);
        if (uids is not null)
        {
            throw new InvalidOperationException($"Operators {string.Join(", ", uids.Select(n => $"'{n.Name}'"))} share the uid '{uids.Key}'; uids must be unique within a job.");
        }

        foreach (var edge in nodes.SelectMany(n => n.Outputs))
        {
            if (edge.Kind == PartitionerKind.Default)
            {
                edge.Kind = parallelism[edge.Source] == parallelism[edge.Target] ? PartitionerKind.Forward : PartitionerKind.Rebalance;
            }

            if (edge.Kind == PartitionerKind.Forward && parallelism[edge.Source] != parallelism[edge.Target])
            {
                throw new InvalidOperationException(
                    $"Forward partitioning from '{edge.Source.Name}' (parallelism {parallelism[edge.Source]}) to '{edge.Target.Name}' " +
                    $"(parallelism {parallelism[edge.Target]}) does not allow a change of parallelism; use Rebalance() or Shuffle().");
            }
        }

        var vertices = new List<JobVertex>();
        var chained = new HashSet<StreamNode>();
        foreach (var node in nodes)
        {
            if (chained.Contains(node) || IsChainedToUpstream(node, parallelism))
            {
                continue;
            }

            var chain = new List<StreamNode> { node };
            var current = node;
            while (current.Outputs.Count == 1 && IsChainedToUpstream(current.Outputs[0].Target, parallelism))
            {
                current = current.Outputs[0].Target;
                chain.Add(current);
            }

            chained.UnionWith(chain);
            vertices.Add(new JobVertex(vertices.Count, chain, parallelism[node]));
        }

        return new JobGraph(vertices, parallelism);
    }

    private static bool IsChainedToUpstream(StreamNode node, IReadOnlyDictionary<StreamNode, int> parallelism)
    {
        if (node.Inputs.Count != 1)
        {
            return false;
        }

        var edge = node.Inputs[0];
        return edge.Kind == PartitionerKind.Forward
            && edge.SideOutput is null
            && edge.Source.Outputs.Count == 1
            && parallelism[edge.Source] == parallelism[node];
    }
}
