namespace Rivulet.Connectors.Kafka.Sink.Transactions;

/// <summary>
/// Transactional ids are <c>{prefix}-{subtask}-{slot}</c>: stable across restarts (so a restarted
/// job finds and fences its predecessors' producers) and distinct between jobs with different
/// prefixes.
/// </summary>
internal static class TransactionalIdNaming
{
    public static string For(string prefix, int subtaskIndex, int slot) => $"{prefix}-{subtaskIndex}-{slot}";

    /// <summary>
    /// The prefix when none is configured: job name and operator uid, so it stays the same across
    /// restarts of the job and differs between jobs (as long as their names differ). Characters a
    /// transactional id should not carry become '_'.
    /// </summary>
    public static string DefaultPrefix(string jobName, string operatorUid) =>
        string.Concat($"{jobName}-{operatorUid}".Select(c => char.IsLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_'));

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
