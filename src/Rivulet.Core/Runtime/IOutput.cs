using Rivulet.Core.Runtime.IO;

namespace Rivulet.Core.Runtime;

/// <summary>What every output carries besides records: watermarks, idleness, barriers, flushes.</summary>
internal interface IEventOutput
{
    void EmitWatermark(long watermark);

    void EmitIdleness(bool idle);

    /// <summary>Forwards a barrier after flushing everything emitted before it.</summary>
    void BroadcastEvent(StreamEvent streamEvent);

    /// <summary>Pushes partially filled batches downstream (latency bound).</summary>
    void Flush();
}

/// <summary>Where an operator emits: the next chained operator, or the network writers of its edges.</summary>
internal interface IOutput<in T> : IEventOutput
{
    void Collect(T value, long timestamp);
}

/// <summary>One operator feeding several downstream edges (a stream used twice).</summary>
internal sealed class FanOutOutput<T>(IReadOnlyList<IOutput<T>> outputs) : IOutput<T>
{
    public void Collect(T value, long timestamp)
    {
        foreach (var output in outputs)
        {
            output.Collect(value, timestamp);
        }
    }

    public void EmitWatermark(long watermark)
    {
        foreach (var output in outputs)
        {
            output.EmitWatermark(watermark);
        }
    }

    public void EmitIdleness(bool idle)
    {
        foreach (var output in outputs)
        {
            output.EmitIdleness(idle);
        }
    }

    public void BroadcastEvent(StreamEvent streamEvent)
    {
        foreach (var output in outputs)
        {
            output.BroadcastEvent(streamEvent);
        }
    }

    public void Flush()
    {
        foreach (var output in outputs)
        {
            output.Flush();
        }
    }
}

/// <summary>A sink's output: nothing goes further.</summary>
internal sealed class DiscardingOutput<T> : IOutput<T>
{
    public static readonly DiscardingOutput<T> Instance = new();

    public void Collect(T value, long timestamp)
    {
    }

    public void EmitWatermark(long watermark)
    {
    }

    public void EmitIdleness(bool idle)
    {
    }

    public void BroadcastEvent(StreamEvent streamEvent)
    {
    }

    public void Flush()
    {
    }
}
