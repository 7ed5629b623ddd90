namespace Rivulet.Core.Time.Windows.Triggers;

/// <summary>Turns every firing of another trigger into fire-and-purge: each result covers only the elements since the last (Flink's <c>PurgingTrigger</c>).</summary>
public sealed class PurgingTrigger : Trigger
{
    private PurgingTrigger(Trigger nested) => Nested = nested;

    /// <summary>The trigger that decides when to fire.</summary>
    public Trigger Nested { get; }

    /// <summary>Purges the window whenever <paramref name="nested"/> fires it (Flink's <c>PurgingTrigger.of</c>).</summary>
    public static PurgingTrigger Of(Trigger nested) => new(nested ?? throw new ArgumentNullException(nameof(nested)));

    /// <inheritdoc />
    public override bool CanMerge => Nested.CanMerge;

    internal override Type? ElementType => Nested.ElementType;

    /// <inheritdoc />
    public override TriggerResult OnElement<T>(T element, long timestamp, TimeWindow window, TriggerContext context) =>
        Purging(Nested.OnElement(element, timestamp, window, context));

    /// <inheritdoc />
    public override TriggerResult OnEventTime(long time, TimeWindow window, TriggerContext context) => Purging(Nested.OnEventTime(time, window, context));

    /// <inheritdoc />
    public override TriggerResult OnProcessingTime(long time, TimeWindow window, TriggerContext context) => Purging(Nested.OnProcessingTime(time, window, context));

    /// <inheritdoc />
    public override void OnMerge(TimeWindow window, OnMergeContext context) => Nested.OnMerge(window, context);

    /// <inheritdoc />
    public override void Clear(TimeWindow window, TriggerContext context) => Nested.Clear(window, context);

    /// <inheritdoc />
    public override string ToString() => $"PurgingTrigger({Nested})";

    private static TriggerResult Purging(TriggerResult result) => result.IsFire() ? TriggerResult.FireAndPurge : result;
}
