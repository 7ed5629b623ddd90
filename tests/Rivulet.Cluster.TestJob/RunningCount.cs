using Rivulet.Core.Api.Functions;
using Rivulet.Core.State;

namespace Rivulet.Cluster.TestJob;

/// <summary>Counts the numbers of each key (keyed state) and emits "key,count" for every one.</summary>
internal sealed class RunningCount : KeyedProcessFunction<long, long, string>, IRichFunction
{
    private IValueState<long> _count = null!;

    public void Open(IRuntimeContext context) => _count = context.GetState(new ValueStateDescriptor<long>("count"));

    public void Close()
    {
    }

    public override void ProcessElement(long value, Context context, ICollector<string> output)
    {
        _count.Value++;
        output.Collect($"{context.CurrentKey},{_count.Value}");
    }
}
