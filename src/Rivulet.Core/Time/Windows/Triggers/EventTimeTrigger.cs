namespace Rivulet.Core.Time.Windows.Triggers;

/// <summary>
/// Fires a window once the watermark passes its end, and again for every late element within the
/// allowed lateness (Flink's <c>EventTimeTrigger</c>; the default of event-time assigners).
/// </summary>
public sealed class EventTimeTrigger : Trigger
{
    private static readonly EventTimeTrigger Instance = new();

    private EventTimeTrigger()
    {
    }

    /// <summary>The event-time trigger (Flink's <c>EventTimeTrigger.create()</c>).</summary>
    public static EventTimeTrigger Create() => Instance;

    /// <inheritdoc />
    public override bool CanMerge => true;

    /// <inheritdoc />
    public override TriggerResult OnElement<T>(T element, long timestamp, TimeWindow window, TriggerContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (window.MaxTimestamp <= context.CurrentWatermark)
        {
            return TriggerResult.Fire;
        }

        context.RegisterEventTimeTimer(window.MaxTimestamp);
        return TriggerResult.Continue;
    }

    /// <inheritdoc />
    public override TriggerResult OnEventTime(long time, TimeWindow window, TriggerContext context) =>
        time == window.MaxTimestamp ? TriggerResult.Fire : TriggerResult.Continue;

    /// <inheritdoc />
    public override TriggerResult OnProcessingTime(long time, TimeWindow window, TriggerContext context) => TriggerResult.Continue;

    /// <inheritdoc />
    public override void OnMerge(TimeWindow window, OnMergeContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (window.MaxTimestamp > context.CurrentWatermark)
        {
            context.RegisterEventTimeTimer(window.MaxTimestamp);
        }
    }

    /// <inheritdoc />
    public override void Clear(TimeWindow window, TriggerContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.DeleteEventTimeTimer(window.MaxTimestamp);
    }

    /// <inheritdoc />
    public override string ToString() => "EventTimeTrigger()";
}
