namespace Rivulet.Core.Runtime.IO;

/// <summary>The chain tail's network output, type-erased for the subtask loop.</summary>
internal sealed class SubtaskOutput(Action flush, Action<StreamEvent> broadcast)
{
    public void Flush() => flush();

    public void Broadcast(StreamEvent streamEvent) => broadcast(streamEvent);

    public static SubtaskOutput For<T>(IOutput<T> output) => new(output.Flush, output.BroadcastEvent);
}
