namespace Rivulet.Core.Time.Windows.Evictors;

/// <summary>What an evictor knows when it runs (Flink's <c>Evictor.EvictorContext</c>).</summary>
public abstract class EvictorContext
{
    /// <summary>Processing time in Unix ms: the job's clock.</summary>
    public abstract long CurrentProcessingTime { get; }

    /// <summary>The operator's current event-time watermark.</summary>
    public abstract long CurrentWatermark { get; }
}
