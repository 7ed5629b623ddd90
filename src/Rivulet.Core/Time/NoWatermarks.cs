namespace Rivulet.Core.Time;

/// <summary>Assigns timestamps but never emits a watermark (for processing-time jobs that still want event timestamps).</summary>
internal sealed class NoWatermarks<T> : IWatermarkGenerator<T>
{
    public void OnEvent(T element, long eventTimestamp, IWatermarkOutput output)
    {
    }

    public void OnPeriodicEmit(IWatermarkOutput output)
    {
    }
}
