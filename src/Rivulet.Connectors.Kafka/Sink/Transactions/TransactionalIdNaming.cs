namespace Rivulet.Connectors.Kafka.Sink.Transactions;

/// <summary>
/// Transactional ids are <c>{prefix}-{subtask}-{slot}</c>: stable across restarts (so a restarted
/// job finds and fences its predecessors' producers) and distinct between jobs with different
/// prefixes.
/// </summary>
public static class TransactionalIdNaming
{
    public static string For(string prefix, int subtaskIndex, int slot) => $"{prefix}-{subtaskIndex}-{slot}";

    /// <summary>
    /// The subtasks of an earlier run whose transactional ids subtask <paramref name="subtaskIndex"/>
    /// now owns: its own, plus those of subtasks removed by a scale-down (spread round-robin).
    /// </summary>
    public static IEnumerable<int> OwnedSubtasks(int subtaskIndex, int parallelism, int previousParallelism)
    {
        yield return subtaskIndex;
        for (var old = parallelism + subtaskIndex; old < previousParallelism; old += parallelism)
        {
            yield return old;
        }
    }
}
