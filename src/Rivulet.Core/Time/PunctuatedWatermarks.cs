namespace Rivulet.Core.Time;

/// <summary>Emits a watermark right after an element when the user's check returns one (Flink's punctuated assigner).</summary>
internal sealed class PunctuatedWatermarks<T>(Func<T, long, long?> checkAndGetNextWatermark) : IWatermarkGenerator<T>
{
    public void OnEvent(T element, long eventTimestamp, IWatermarkOutput output)
    {
        if (checkAndGetNextWatermark(element, eventTimestamp) is { } watermark)
        {
            output.EmitWatermark(watermark);
        }
    }

    public void OnPeriodicEmit(IWatermarkOutput output)
    {
    }
}
