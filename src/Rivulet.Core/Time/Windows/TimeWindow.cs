namespace Rivulet.Core.Time.Windows;

/// <summary>
/// A window of time [<see cref="Start"/>, <see cref="End"/>) in Unix ms (Flink's <c>TimeWindow</c>);
/// <see cref="Global"/> is the one window of all time that global and count windows use.
/// </summary>
public readonly record struct TimeWindow(long Start, long End)
{
    /// <summary>
    /// The window holding every element of a key (Flink's <c>GlobalWindow</c>), used by
    /// <see cref="GlobalWindows"/> and count windows. It never ends, so it fires only when its
    /// trigger says so, and its results carry <see cref="long.MaxValue"/> as their timestamp.
    /// </summary>
    public static TimeWindow Global { get; } = new(long.MinValue, long.MaxValue);

    /// <summary>Whether this is <see cref="Global"/>.</summary>
    public bool IsGlobal => Start == long.MinValue && End == long.MaxValue;

    /// <summary>The last timestamp inside the window; results of the window carry it as their timestamp (<see cref="long.MaxValue"/> for <see cref="Global"/>).</summary>
    public long MaxTimestamp => End == long.MaxValue ? long.MaxValue : End - 1;

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
    public override string ToString() => IsGlobal ? "GlobalWindow" : $"TimeWindow[{Start}, {End})";
}
