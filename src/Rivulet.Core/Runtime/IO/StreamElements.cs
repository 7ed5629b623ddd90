namespace Rivulet.Core.Runtime.IO;

/// <summary>What travels between subtasks besides record batches.</summary>
internal abstract record StreamEvent;

/// <summary>
/// Checkpoint barrier n: everything before it belongs to checkpoint n, whose state goes to
/// <paramref name="Directory"/> (the barrier says where, so a subtask needs no one to ask — also
/// on another machine).
/// </summary>
internal sealed record CheckpointBarrier(long CheckpointId, long TimestampMs, string Directory) : StreamEvent;

/// <summary>No element with a smaller timestamp follows on this channel.</summary>
internal sealed record WatermarkEvent(long WatermarkMs) : StreamEvent;

/// <summary>The channel's producer went idle / active again (its watermark should not hold others back).</summary>
internal sealed record IdlenessEvent(bool Idle) : StreamEvent;

/// <summary>The producer finished: nothing more comes on this channel.</summary>
internal sealed record EndOfInputEvent : StreamEvent
{
    public static readonly EndOfInputEvent Instance = new();
}

/// <summary>A batch of records of any type, as the network layer counts them.</summary>
internal interface IRecordBatch
{
    int Count { get; }
}

/// <summary>Records moved between subtasks in batches, so channel costs are paid per batch.</summary>
internal sealed class RecordBatch<T>(int capacity) : IRecordBatch
{
    public const long NoTimestamp = long.MinValue;

    public T[] Values { get; } = new T[capacity];

    /// <summary>Allocated only when a record of the batch carries a timestamp.</summary>
    public long[]? Timestamps { get; private set; }

    public int Count { get; private set; }

    public bool IsFull => Count == Values.Length;

    public void Add(T value, long timestamp)
    {
        if (timestamp != NoTimestamp && Timestamps is null)
        {
            Timestamps = new long[Values.Length];
            Array.Fill(Timestamps, NoTimestamp, 0, Count);
        }

        Values[Count] = value;
        if (Timestamps is not null)
        {
            Timestamps[Count] = timestamp;
        }

        Count++;
    }

    public long TimestampAt(int index) => Timestamps?[index] ?? NoTimestamp;
}
