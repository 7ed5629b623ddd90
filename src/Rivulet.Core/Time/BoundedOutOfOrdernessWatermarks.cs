namespace Rivulet.Core.Time;

/// <summary>
/// Periodic watermarks that trail the highest timestamp seen by a fixed bound: elements may arrive
/// up to <c>maxOutOfOrderness</c> late without being late (bound zero = ascending timestamps).
/// </summary>
public sealed class BoundedOutOfOrdernessWatermarks<T> : IWatermarkGenerator<T>
{
    private readonly long _bound;
    private long _maxTimestamp;

    public BoundedOutOfOrdernessWatermarks(TimeSpan maxOutOfOrderness)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxOutOfOrderness, TimeSpan.Zero, nameof(maxOutOfOrderness));
        _bound = (long)maxOutOfOrderness.TotalMilliseconds;
        // So that the first watermark computed before any element is long.MinValue, not an overflow.
        _maxTimestamp = long.MinValue + _bound + 1;
    }

    public void OnEvent(T element, long eventTimestamp, IWatermarkOutput output)
    {
        if (eventTimestamp > _maxTimestamp)
        {
            _maxTimestamp = eventTimestamp;
        }
    }

    public void OnPeriodicEmit(IWatermarkOutput output) => output.EmitWatermark(_maxTimestamp - _bound - 1);
}
