namespace Rivulet.Core.Time;

/// <summary>
/// Periodic watermarks that trail the highest timestamp seen by a fixed bound: elements may arrive
/// up to <c>maxOutOfOrderness</c> late without being late (bound zero = ascending timestamps).
/// </summary>
public sealed class BoundedOutOfOrdernessWatermarks<T> : IWatermarkGenerator<T>
{
    private readonly long _bound;
    private long _maxTimestamp;

    /// <summary>
    /// Creates a generator whose periodic watermark is the highest timestamp seen minus
    /// <paramref name="maxOutOfOrderness"/> minus 1 ms (<see cref="long.MinValue"/> before the first element).
    /// </summary>
    /// <param name="maxOutOfOrderness">How late (in whole milliseconds; finer parts are dropped) an element may be; zero for ascending timestamps.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxOutOfOrderness"/> is negative.</exception>
    public BoundedOutOfOrdernessWatermarks(TimeSpan maxOutOfOrderness)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxOutOfOrderness, TimeSpan.Zero, nameof(maxOutOfOrderness));
        _bound = (long)maxOutOfOrderness.TotalMilliseconds;
        // So that the first watermark computed before any element is long.MinValue, not an overflow.
        _maxTimestamp = long.MinValue + _bound + 1;
    }

    /// <inheritdoc />
    public void OnEvent(T element, long eventTimestamp, IWatermarkOutput output)
    {
        if (eventTimestamp > _maxTimestamp)
        {
            _maxTimestamp = eventTimestamp;
        }
    }

    /// <inheritdoc />
    public void OnPeriodicEmit(IWatermarkOutput output) => output.EmitWatermark(_maxTimestamp - _bound - 1);
}
