namespace Rivulet.Core.Time;

/// <summary>
/// Gives an element its event timestamp (Unix ms). The <c>recordTimestamp</c> argument is the
/// timestamp the element already carries — for the Kafka source, the Kafka record's timestamp —
/// or <see cref="TimestampAssigner.NoTimestamp"/> when it has none (Flink's
/// <c>extractTimestamp(element, previousElementTimestamp)</c>).
/// </summary>
public interface ITimestampAssigner<in T>
{
    /// <summary>Returns the event timestamp (Unix ms) of <paramref name="element"/> (Flink's <c>extractTimestamp</c>).</summary>
    /// <param name="element">The element to timestamp.</param>
    /// <param name="recordTimestamp">The timestamp the element already carries, or <see cref="TimestampAssigner.NoTimestamp"/>.</param>
    /// <returns>The element's event timestamp in Unix ms.</returns>
    long ExtractTimestamp(T element, long recordTimestamp);
}

/// <summary>Constants of timestamp assignment.</summary>
public static class TimestampAssigner
{
    /// <summary>The <c>recordTimestamp</c> of an element that carries none (<see cref="long.MinValue"/>, as Flink).</summary>
    public const long NoTimestamp = long.MinValue;
}

/// <summary>Keeps the timestamp the element carries (the default assigner: for Kafka, the record timestamp).</summary>
internal sealed class RecordTimestampAssigner<T> : ITimestampAssigner<T>
{
    public static readonly RecordTimestampAssigner<T> Instance = new();

    public long ExtractTimestamp(T element, long recordTimestamp) => recordTimestamp;
}

internal sealed class LambdaTimestampAssigner<T>(Func<T, long, long> extract) : ITimestampAssigner<T>
{
    public long ExtractTimestamp(T element, long recordTimestamp) => extract(element, recordTimestamp);
}
