using Rivulet.Core.State;

namespace Rivulet.Core.Runtime.Operators;

/// <summary>
/// An operator fed by two inputs of possibly different types (Flink's <c>TwoInputStreamOperator</c>).
/// The subtask's loop feeds it from both and hands it one watermark — the minimum over every channel
/// of both inputs, idle ones left out — and aligns checkpoint barriers across both. When keyed, each
/// element's key is set (by its input's key selector) before the operator sees it.
/// </summary>
internal abstract class TwoInputOperator<T1, T2, TOut>(IInputKeys<T1, T2>? keys, IOutput<TOut> output) : StreamOperator
{
    protected IOutput<TOut> Output { get; } = output;

    /// <summary>The last watermark the operator received.</summary>
    protected long CurrentWatermark { get; private set; } = long.MinValue;

    public void ProcessElement1(T1 value, long timestamp)
    {
        keys?.SetKey1(Context, value);
        OnElement1(value, timestamp);
    }

    public void ProcessElement2(T2 value, long timestamp)
    {
        keys?.SetKey2(Context, value);
        OnElement2(value, timestamp);
    }

    public override void ProcessWatermark(long watermark)
    {
        CurrentWatermark = watermark;
        OnWatermark(watermark);
        Output.EmitWatermark(watermark);
    }

    public override void ProcessIdleness(bool idle) => Output.EmitIdleness(idle);

    protected abstract void OnElement1(T1 value, long timestamp);

    protected abstract void OnElement2(T2 value, long timestamp);

    /// <summary>Runs before the watermark goes downstream (event-time timers fire here).</summary>
    protected virtual void OnWatermark(long watermark)
    {
    }
}

/// <summary>Sets the current key of a two-input operator's keyed backend from an element of either input.</summary>
internal interface IInputKeys<in T1, in T2>
{
    void SetKey1(OperatorContext context, T1 value);

    void SetKey2(OperatorContext context, T2 value);
}

/// <summary>The key selectors of two inputs keyed alike: the same key type, the same key groups.</summary>
internal sealed class InputKeySelectors<TKey, T1, T2>(Func<T1, TKey> key1, Func<T2, TKey> key2) : IInputKeys<T1, T2>
    where TKey : notnull
{
    private HeapKeyedStateBackend<TKey>? _backend;

    public void SetKey1(OperatorContext context, T1 value) => Backend(context).SetCurrentKey(key1(value));

    public void SetKey2(OperatorContext context, T2 value) => Backend(context).SetCurrentKey(key2(value));

    // One operator per instance: the backend is its subtask's, cast once.
    private HeapKeyedStateBackend<TKey> Backend(OperatorContext context) => _backend ??= (HeapKeyedStateBackend<TKey>)context.KeyedBackend!;
}

/// <summary>Keys only the first input (a keyed stream connected with a broadcast stream): broadcast elements leave the key alone.</summary>
internal sealed class FirstInputKeySelector<TKey, T1, T2>(Func<T1, TKey> key1) : IInputKeys<T1, T2>
    where TKey : notnull
{
    private HeapKeyedStateBackend<TKey>? _backend;

    public void SetKey1(OperatorContext context, T1 value) => (_backend ??= (HeapKeyedStateBackend<TKey>)context.KeyedBackend!).SetCurrentKey(key1(value));

    public void SetKey2(OperatorContext context, T2 value)
    {
    }
}
