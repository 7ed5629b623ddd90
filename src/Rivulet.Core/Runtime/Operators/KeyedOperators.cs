using Rivulet.Core.Api.Functions;
using Rivulet.Core.State;

namespace Rivulet.Core.Runtime.Operators;

/// <summary>Base of operators on a keyed stream: sets the current key before the user's code runs.</summary>
internal abstract class KeyedOneInputOperator<TKey, TIn, TOut>(Func<TIn, TKey> keySelector, IOutput<TOut> output) : OneInputOperator<TIn, TOut>(output)
    where TKey : notnull
{
    private HeapKeyedStateBackend<TKey>? _backend;

    // Read per record: cast once, not for every element.
    protected HeapKeyedStateBackend<TKey> Backend => _backend ??= (HeapKeyedStateBackend<TKey>)Context.KeyedBackend!;

    public sealed override void ProcessElement(TIn value, long timestamp)
    {
        Backend.SetCurrentKey(keySelector(value));
        ProcessKeyed(value, timestamp);
    }

    protected abstract void ProcessKeyed(TIn value, long timestamp);
}

/// <summary>Rolling reduce per key: emits the key's reduced value after each element (Flink's KeyedStream.reduce).</summary>
internal sealed class ReduceOperator<TKey, T>(IReduceFunction<T> function, Func<T, TKey> keySelector, IOutput<T> output)
    : KeyedOneInputOperator<TKey, T, T>(keySelector, output)
    where TKey : notnull
{
    private IValueState<T>? _state;
    private IValueState<bool>? _present;

    protected override object UserFunction => function;

    public override void Open()
    {
        _state = Backend.GetState(new ValueStateDescriptor<T>("_reduce"));
        _present = Backend.GetState(new ValueStateDescriptor<bool>("_reduce_present"));
        base.Open();
    }

    protected override void ProcessKeyed(T value, long timestamp)
    {
        var reduced = _present!.Value ? function.Reduce(_state!.Value, value) : value;
        _state!.Value = reduced;
        _present.Value = true;
        Output.Collect(reduced, timestamp);
    }
}
