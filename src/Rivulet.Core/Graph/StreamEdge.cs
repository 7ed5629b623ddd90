using Rivulet.Core.Runtime;
using Rivulet.Core.Runtime.IO;

namespace Rivulet.Core.Graph;

/// <summary>A connection from one operator's output to another's input, with how records are spread.</summary>
internal sealed class StreamEdge(StreamNode source, StreamNode target, PartitionerKind kind, Func<int, object>? keyGroupFunction, Api.OutputTag? sideOutput = null)
{
    public StreamNode Source { get; } = source;

    public StreamNode Target { get; } = target;

    public PartitionerKind Kind { get; set; } = kind;

    /// <summary>For hash edges: given max parallelism, a <c>Func&lt;T, int&gt;</c> from record to key group.</summary>
    public Func<int, object>? KeyGroupFunction { get; } = keyGroupFunction;

    /// <summary>Set when the edge carries a side output of its source instead of its main output.</summary>
    public Api.OutputTag? SideOutput { get; } = sideOutput;

    /// <summary>Which input of its target the edge feeds: 0 for the first (or only) one, 1 for a two-input operator's second.</summary>
    public int InputIndex { get; init; }

    public override string ToString() => $"{Source.Name} -> {Target.Name} ({Kind})";
}
