namespace Rivulet.Core.Time.Windows.Triggers;

/// <summary>Never fires (Flink's <c>GlobalWindows.NeverTrigger</c>; the default of <see cref="GlobalWindows"/>, which need a trigger of their own to produce anything).</summary>
public sealed class NeverTrigger : Trigger
{
    private static readonly NeverTrigger Instance = new();

    private NeverTrigger()
    {
    }

    /// <summary>The trigger that never fires.</summary>
    public static NeverTrigger Create() => Instance;

    /// <inheritdoc />
    public override bool CanMerge => true;

    /// <inheritdoc />
    public override TriggerResult OnElement<T>(T element, long timestamp, TimeWindow window, TriggerContext context) => TriggerResult.Continue;

    /// <inheritdoc />
    public override TriggerResult OnEventTime(long time, TimeWindow window, TriggerContext context) => TriggerResult.Continue;

    /// <inheritdoc />
    public override TriggerResult OnProcessingTime(long time, TimeWindow window, TriggerContext context) => TriggerResult.Continue;

    /// <inheritdoc />
    public override void OnMerge(TimeWindow window, OnMergeContext context)
    {
    }

    /// <inheritdoc />
    public override void Clear(TimeWindow window, TriggerContext context)
    {
    }

    /// <inheritdoc />
    public override string ToString() => "NeverTrigger()";
}
