namespace Rivulet.Core.Graph;

/// <summary>
/// A chain of operators that run together in one subtask per parallel instance, calling each
/// other directly: consecutive operators connected by a forward edge, at the same parallelism,
/// with nothing else branching in or out.
/// </summary>
internal sealed class JobVertex(int index, IReadOnlyList<StreamNode> chain, int parallelism)
{
    public int Index { get; } = index;

    /// <summary>Head first.</summary>
    public IReadOnlyList<StreamNode> Chain { get; } = chain;

    public int Parallelism { get; } = parallelism;

    public StreamNode Head => Chain[0];

    public StreamNode Tail => Chain[^1];

    public string Name => string.Join(" -> ", Chain.Select(n => n.Name));
}
