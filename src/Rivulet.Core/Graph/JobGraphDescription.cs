using System.Security.Cryptography;
using System.Text;

namespace Rivulet.Core.Graph;

/// <summary>
/// A job graph as text, one line per vertex — its operators (name, uid, type), parallelism and
/// inputs — and its fingerprint (SHA-256 of that text). Processes of a cluster build the graph from
/// the same program; equal fingerprints mean they built the same graph, and where they differ, the
/// lines say how.
/// </summary>
internal sealed class JobGraphDescription
{
    private JobGraphDescription(IReadOnlyList<string> lines)
    {
        Lines = lines;
        Fingerprint = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\n', lines))));
    }

    public IReadOnlyList<string> Lines { get; }

    public string Fingerprint { get; }

    /// <summary>A description received from another process.</summary>
    public static JobGraphDescription FromLines(IReadOnlyList<string> lines) => new(lines);

    public static JobGraphDescription Of(JobGraph graph, int maxParallelism)
    {
        var lines = new List<string> { $"max parallelism {maxParallelism}" };
        foreach (var vertex in graph.Vertices)
        {
            var operators = string.Join(" -> ", vertex.Chain.Select(n => $"'{n.Name}' (uid '{n.EffectiveUid}', {TypeName(n.GetType())})"));
            var inputs = vertex.Head.Inputs.Select(e =>
                $"{graph.VertexOf(e.Source).Index}:{e.Kind}{(e.InputIndex > 0 ? $" into input {e.InputIndex + 1}" : "")}{(e.SideOutput is { } tag ? $" side output '{tag.Id}'" : "")}");
            lines.Add($"vertex {vertex.Index}: {operators}, parallelism {vertex.Parallelism}, inputs [{string.Join(", ", inputs)}]");
        }

        return new JobGraphDescription(lines);
    }

    /// <summary>Where <paramref name="other"/> differs from this one, line by line (at most a few lines), for an error message naming both sides.</summary>
    public string DifferencesFrom(JobGraphDescription other, string mine, string theirs)
    {
        var differences = new List<string>();
        for (var i = 0; i < Math.Max(Lines.Count, other.Lines.Count) && differences.Count < 3; i++)
        {
            var line = i < Lines.Count ? Lines[i] : "(nothing)";
            var otherLine = i < other.Lines.Count ? other.Lines[i] : "(nothing)";
            if (!string.Equals(line, otherLine, StringComparison.Ordinal))
            {
                differences.Add($"{mine}: {line}; {theirs}: {otherLine}");
            }
        }

        return string.Join(" | ", differences);
    }

    private static string TypeName(Type type) =>
        type.IsGenericType ? $"{type.Name[..type.Name.IndexOf('`', StringComparison.Ordinal)]}<{string.Join(", ", type.GetGenericArguments().Select(TypeName))}>" : type.Name;
}
