namespace Rivulet.Cli.Demo;

/// <summary>
/// When a demo run is over: all input was written, the job's group committed offsets past all of it
/// (a checkpoint covering the whole input completed), and the committed output holds every index —
/// or the output stopped short for longer than the settle time (the verdict then tells what is
/// missing). A run whose consumed input and committed output stop moving altogether is stalled.
/// </summary>
internal sealed class DemoCompletion(long records, TimeSpan settleTimeout, TimeSpan stallTimeout)
{
    private TimeSpan? _allConsumedAt;
    private TimeSpan _lastMovementAt;
    private long _lastMark = -1;

    /// <summary>Notes how far the run got at <paramref name="now"/>.</summary>
    public void Observe(TimeSpan now, InputProgress? input, long committedOutput)
    {
        var mark = (input?.Consumed ?? 0) + committedOutput;
        if (mark != _lastMark)
        {
            _lastMark = mark;
            _lastMovementAt = now;
        }
    }

    public bool IsDone(TimeSpan now, bool inputWritten, InputProgress? input, long distinctOutput)
    {
        if (!inputWritten || input is null || input.Consumed < records)
        {
            return false;
        }

        _allConsumedAt ??= now;
        return distinctOutput >= records || now - _allConsumedAt > settleTimeout;
    }

    public bool IsStalled(TimeSpan now) => now - _lastMovementAt > stallTimeout;
}
