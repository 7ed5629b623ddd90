using Rivulet.Core.Api.Functions;
using Rivulet.Core.State;

namespace Rivulet.Cli.Demo;

/// <summary>Counts records per key in keyed state and emits each record with its key's count so far.</summary>
internal sealed class KeyCounter : KeyedProcessFunction<string, DemoInput, DemoOutput>, IRichFunction
{
    private IValueState<long>? _count;

    public void Open(IRuntimeContext context) => _count = context.GetState(new ValueStateDescriptor<long>("count"));

    public void Close()
    {
    }

    public override void ProcessElement(DemoInput value, Context context, ICollector<DemoOutput> output)
    {
        var count = _count!.Value + 1;
        _count.Value = count;
        output.Collect(new DemoOutput(value.Key, value.Index, count));
    }
}
