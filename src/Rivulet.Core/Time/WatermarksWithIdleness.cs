namespace Rivulet.Core.Time;

/// <summary>
/// Marks its output idle when no element arrived for the idle timeout, so an input without data
/// (an empty Kafka partition, a quiet subtask) no longer holds back the watermark of the whole job
/// (the problem of FLINK-5479). The next element makes it active again. Checked at each periodic
/// emit, so idleness is detected within one auto-watermark interval after the timeout.
/// </summary>
internal sealed class WatermarksWithIdleness<T>(IWatermarkGenerator<T> inner, TimeSpan idleTimeout, TimeProvider clock) : IWatermarkGenerator<T>
{
    private readonly long _timeoutTicks = (long)(idleTimeout.TotalSeconds * clock.TimestampFrequency);
    private long _events;
    private long _eventsAtLastCheck = -1;
    private long _lastActivityTicks = clock.GetTimestamp();
    private bool _idle;

    public void OnEvent(T element, long eventTimestamp, IWatermarkOutput output)
    {
        // Counting instead of reading the clock keeps the per-element cost down.
        _events++;
        if (_idle)
        {
            _idle = false;
            output.MarkActive();
        }

        inner.OnEvent(element, eventTimestamp, output);
    }

    public void OnPeriodicEmit(IWatermarkOutput output)
    {
        var now = clock.GetTimestamp();
        if (_events != _eventsAtLastCheck)
        {
            _eventsAtLastCheck = _events;
            _lastActivityTicks = now;
        }
        else if (now - _lastActivityTicks >= _timeoutTicks)
        {
            if (!_idle)
            {
                _idle = true;
                output.MarkIdle();
            }

            return;
        }

        inner.OnPeriodicEmit(output);
    }
}
