using Rivulet.Core.Runtime.IO;

namespace Rivulet.Core.Runtime;

/// <summary>
/// The output of an operator that also feeds side outputs: records go to the main output only
/// (side records are emitted through the operator context), while watermarks, idleness, barriers
/// and flushes reach every side output too, so their consumers align and advance like any input.
/// </summary>
internal sealed class SideOutputCarrier<T>(IOutput<T> main, IReadOnlyList<IEventOutput> sides) : IOutput<T>
{
    public void Collect(T value, long timestamp) => main.Collect(value, timestamp);

    public void EmitWatermark(long watermark)
    {
        main.EmitWatermark(watermark);
        foreach (var side in sides)
        {
            side.EmitWatermark(watermark);
        }
    }

    public void EmitIdleness(bool idle)
    {
        main.EmitIdleness(idle);
        foreach (var side in sides)
        {
            side.EmitIdleness(idle);
        }
    }

    public void BroadcastEvent(StreamEvent streamEvent)
    {
        main.BroadcastEvent(streamEvent);
        foreach (var side in sides)
        {
            side.BroadcastEvent(streamEvent);
        }
    }

    public void Flush()
    {
        main.Flush();
        foreach (var side in sides)
        {
            side.Flush();
        }
    }
}
