using Rivulet.Core.Api.Functions;

namespace Rivulet.Benchmarks.Windows;

/// <summary>Turns a fired window's count into a <see cref="WindowCount"/> (Flink's usual aggregate + process window function pair).</summary>
internal sealed class LabelWithKeyAndWindow : ProcessWindowFunction<long, WindowCount, int>
{
    public override void Process(int key, Context context, IEnumerable<long> elements, ICollector<WindowCount> output)
    {
        foreach (var count in elements)
        {
            output.Collect(new WindowCount(key, context.Window.End, count));
        }
    }
}
