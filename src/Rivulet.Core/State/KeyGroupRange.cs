namespace Rivulet.Core.State;

/// <summary>
/// Keys are sharded into key groups (max parallelism of them); a subtask owns a contiguous range.
/// State moves between parallelisms by whole key groups, which is what makes rescaling a
/// savepoint possible.
/// </summary>
/// <param name="Start">The first key group of the range.</param>
/// <param name="End">The last key group of the range (inclusive).</param>
public readonly record struct KeyGroupRange(int Start, int End)
{
    /// <summary>Number of key groups in the range.</summary>
    public int Count => End - Start + 1;

    /// <summary>True when <paramref name="keyGroup"/> is in the range.</summary>
    public bool Contains(int keyGroup) => keyGroup >= Start && keyGroup <= End;

    /// <summary>Flink's assignment: key group g goes to subtask <c>g * parallelism / maxParallelism</c>.</summary>
    public static KeyGroupRange ForSubtask(int maxParallelism, int parallelism, int subtaskIndex)
    {
        var start = ((subtaskIndex * maxParallelism) + parallelism - 1) / parallelism;
        var end = ((((subtaskIndex + 1) * maxParallelism) + parallelism - 1) / parallelism) - 1;
        return new KeyGroupRange(start, end);
    }

    /// <summary>The subtask that owns <paramref name="keyGroup"/>, by Flink's assignment <c>keyGroup * parallelism / maxParallelism</c> (the inverse of <see cref="ForSubtask"/>).</summary>
    public static int SubtaskFor(int keyGroup, int maxParallelism, int parallelism) => keyGroup * parallelism / maxParallelism;
}
