namespace Rivulet.Core.Time.Windows.Evictors;

/// <summary>An element of a window with its timestamp, as evictors see it (Flink's <c>TimestampedValue</c>).</summary>
/// <param name="Value">The element.</param>
/// <param name="Timestamp">The element's timestamp, or <see cref="TimestampAssigner.NoTimestamp"/>.</param>
public readonly record struct TimestampedValue<T>(T Value, long Timestamp)
{
    /// <summary>Whether the element has a timestamp (elements of processing-time windows usually do not).</summary>
    public bool HasTimestamp => Timestamp != TimestampAssigner.NoTimestamp;
}
