using Rivulet.Core.Api.Functions;

namespace Rivulet.Samples.WriteIntoKafka;

/// <summary>
/// The seeds' <c>SimpleStringGenerator</c>: emits <c>add element : 0</c>, <c>add element : 1</c>, …
/// one every <paramref name="interval"/> (3 s in the seed). The seed loops forever and stops on
/// <c>cancel()</c>; here cancellation comes through the token, and <paramref name="count"/> can
/// bound the stream (then the job finishes once the last element is written).
/// </summary>
public sealed class SimpleStringGenerator(TimeSpan interval, long? count = null) : ISourceFunction<string>
{
    private static readonly TimeSpan YieldPeriod = TimeSpan.FromMilliseconds(50);

    public async Task RunAsync(ISourceContext<string> context, CancellationToken cancellationToken)
    {
        for (var i = 0L; count is null || i < count; i++)
        {
            context.Collect("add element : " + i);
            if (count is null || i + 1 < count)
            {
                await PauseAsync(context, cancellationToken);
            }
        }
    }

    /// <summary>The seed's Thread.sleep, but handing the runtime its turn (flushes, checkpoints) while waiting.</summary>
    private async Task PauseAsync(ISourceContext<string> context, CancellationToken cancellationToken)
    {
        var until = DateTime.UtcNow + interval;
        for (var left = interval; left > TimeSpan.Zero; left = until - DateTime.UtcNow)
        {
            context.YieldToRuntime();
            await Task.Delay(left < YieldPeriod ? left : YieldPeriod, cancellationToken);
        }
    }
}
