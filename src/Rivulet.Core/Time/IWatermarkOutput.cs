namespace Rivulet.Core.Time;

/// <summary>Where a watermark generator reports progress (Flink's <c>WatermarkOutput</c>).</summary>
public interface IWatermarkOutput
{
    /// <summary>No element with a timestamp ≤ <paramref name="watermark"/> is expected any more. A watermark that does not advance is ignored.</summary>
    void EmitWatermark(long watermark);

    /// <summary>No elements come for now: downstream operators stop waiting for this output's watermark.</summary>
    void MarkIdle();

    /// <summary>Elements come again (also implied by the next element or advancing watermark).</summary>
    void MarkActive();
}
