namespace Rivulet.Core.Time.Windows.Triggers;

/// <summary>Fires a window when the job's clock passes its end (Flink's <c>ProcessingTimeTrigger</c>; the default of processing-time assigners).</summary>
public sealed class ProcessingTimeTrigger : Trigger
{
    private static readonly ProcessingTimeTrigger Instance = new();

    private ProcessingTimeTrigger()
    {
    }

    /// <summary>The processing-time trigger (Flink's <c>ProcessingTimeTrigger.create()</c>).</summary>
    public static ProcessingTimeTrigger Create() => Instance;

    /// <inheritdoc />
    public override bool CanMerge => true;

    /// <inheritdoc />
    public override TriggerResult OnElement<T>(T element, long timestamp, TimeWindow window, TriggerContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.RegisterProcessingTimeTimer(window.MaxTimestamp);
        return TriggerResult.Continue;
    }

    /// <inheritdoc />
    public override TriggerResult OnEventTime(long time, TimeWindow window, TriggerContext context) => TriggerResult.Continue;

    /// <inheritdoc />
    public override TriggerResult OnProcessingTime(long time, TimeWindow window, TriggerContext context) => TriggerResult.Fire;

    /// <inheritdoc />
    public override void OnMerge(TimeWindow window, OnMergeContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (window.MaxTimestamp > context.CurrentProcessingTime)
        {
            context.RegisterProcessingTimeTimer(window.MaxTimestamp);
        }
    }

    /// <inheritdoc />
    public override void Clear(TimeWindow window, TriggerContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.DeleteProcessingTimeTimer(window.MaxTimestamp);
    }

    /// <inheritdoc />
    public override string ToString() => "ProcessingTimeTrigger()";
}
