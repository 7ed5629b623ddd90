namespace Rivulet.Core.Time.Windows;

/// <summary>A window of time [<see cref="Start"/>, <see cref="End"/>) in Unix ms (Flink's <c>TimeWindow</c>).</summary>
public readonly record struct TimeWindow(long Start, long End)
{
    /// <summary>The last timestamp inside the window; results of the window carry it as their timestamp.</summary>
    public long MaxTimestamp => End - 1;

    /// <summary>Whether the windows overlap or touch (session windows that do are merged).</summary>
    public bool Intersects(TimeWindow other) => Start <= other.End && End >= other.Start;

    /// <summary>The smallest window containing both.</summary>
    public TimeWindow Cover(TimeWindow other) => new(Math.Min(Start, other.Start), Math.Max(End, other.End));

    /// <summary>
    /// The start of the window of size <paramref name="size"/> (aligned to <paramref name="offset"/>)
    /// that contains <paramref name="timestamp"/>; also right for negative timestamps.
    /// </summary>
    public static long WindowStart(long timestamp, long offset, long size)
    {
        var remainder = (timestamp - offset) % size;
        return remainder < 0 ? timestamp - (remainder + size) : timestamp - remainder;
    }

    /// <inheritdoc />
    public override string ToString() => $"TimeWindow[{Start}, {End})";
}
