using Rivulet.Core.Runtime.IO;
using Rivulet.Core.Runtime.Operators;

namespace Rivulet.Core.Runtime;

/// <summary>Hands records straight to the next operator of the chain: a method call, no queue.</summary>
internal sealed class ChainingOutput<T>(IInput<T> next, StreamOperator nextOperator) : IOutput<T>
{
    public void Collect(T value, long timestamp) => next.ProcessElement(value, timestamp);

    public void EmitWatermark(long watermark) => nextOperator.ProcessWatermark(watermark);

    public void EmitIdleness(bool idle) => nextOperator.ProcessIdleness(idle);

    public void BroadcastEvent(StreamEvent streamEvent)
    {
        // Barriers and end-of-input are handled by the subtask for the whole chain.
    }

    public void Flush()
    {
    }
}
