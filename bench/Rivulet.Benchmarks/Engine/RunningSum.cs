using Rivulet.Core.Api.Functions;
using Rivulet.Core.State;

namespace Rivulet.Benchmarks.Engine;

/// <summary>Adds each reading to its key's sum in keyed state and emits the new sum.</summary>
internal sealed class RunningSum : KeyedProcessFunction<int, Reading, KeyedSum>, IRichFunction
{
    private IValueState<long>? _sum;

    public void Open(IRuntimeContext context) => _sum = context.GetState(new ValueStateDescriptor<long>("sum"));

    public void Close()
    {
    }

    public override void ProcessElement(Reading value, Context context, ICollector<KeyedSum> output)
    {
        var sum = _sum!.Value + value.Value;
        _sum.Value = sum;
        output.Collect(new KeyedSum(value.Key, sum));
    }
}
