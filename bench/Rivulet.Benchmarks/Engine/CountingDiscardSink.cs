using Rivulet.Core.Api.Functions;

namespace Rivulet.Benchmarks.Engine;

/// <summary>
/// Drops what it receives, but counts it: a run is only reported when every record arrived. The
/// tally is shared by all subtasks' copies (the engine copies the function shallowly).
/// </summary>
internal sealed class CountingDiscardSink<T>(CountingDiscardSink<T>.Tally tally) : ISinkFunction<T>, IRichFunction
{
    private long _received;

    public void Open(IRuntimeContext context) => _received = 0;

    public void Invoke(T value, ISinkContext context) => _received++;

    public void Close() => Interlocked.Add(ref tally.Received, _received);

    /// <summary>Records received by all subtasks, added up as they close.</summary>
    internal sealed class Tally
    {
        // A field, so Interlocked can add to it.
        public long Received;
    }
}
