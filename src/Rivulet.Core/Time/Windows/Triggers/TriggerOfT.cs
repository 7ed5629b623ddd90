namespace Rivulet.Core.Time.Windows.Triggers;

/// <summary>A trigger that sees the window's elements as <typeparamref name="TElement"/>; a window whose elements are not refuses it when the job is built.</summary>
/// <typeparam name="TElement">The element type (or a base type or interface of it).</typeparam>
public abstract class Trigger<TElement> : Trigger
{
    /// <inheritdoc />
    public sealed override TriggerResult OnElement<T>(T element, long timestamp, TimeWindow window, TriggerContext context) =>
        element switch
        {
            TElement typed => OnElement(typed, timestamp, window, context),
            null => OnElement(default!, timestamp, window, context),
            _ => throw new InvalidOperationException($"Trigger {GetType().Name} handles {typeof(TElement).Name} elements, not {element.GetType().Name}."),
        };

    /// <summary>Called for every element added to <paramref name="window"/>; <paramref name="timestamp"/> is the element's (event time) or <see cref="TimestampAssigner.NoTimestamp"/>.</summary>
    public abstract TriggerResult OnElement(TElement element, long timestamp, TimeWindow window, TriggerContext context);

    internal override Type ElementType => typeof(TElement);
}
