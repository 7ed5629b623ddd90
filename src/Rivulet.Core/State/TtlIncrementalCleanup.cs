namespace Rivulet.Core.State;

/// <summary>
/// Incremental time-to-live cleanup of one state table (Flink's <c>cleanupIncrementally</c>): each step
/// checks the next <paramref name="size"/> keys of a list taken of the table's keys, taking a new list
/// when one is used up — so every key is visited once per round, and a step costs a bounded amount.
/// </summary>
internal sealed class TtlIncrementalCleanup<TKey>(int size, Func<List<TKey>> keys, Action<TKey> clean)
{
    private List<TKey> _round = [];
    private int _next;

    public void Step()
    {
        for (var checkedKeys = 0; checkedKeys < size; checkedKeys++)
        {
            if (_next >= _round.Count)
            {
                _round = keys();
                _next = 0;
                if (_round.Count == 0)
                {
                    return;
                }
            }

            clean(_round[_next++]);
        }
    }
}
