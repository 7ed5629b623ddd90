using Rivulet.Core.Api.Functions;

namespace Rivulet.Connectors.Kafka.Tests.Sink;

/// <summary>An unbounded source: "v0", "v1", … one per millisecond or so, until the job is cancelled or fails.</summary>
internal sealed class TickingSource : ISourceFunction<string>
{
    public async Task RunAsync(ISourceContext<string> context, CancellationToken cancellationToken)
    {
        for (var i = 0L; !cancellationToken.IsCancellationRequested; i++)
        {
            context.Collect($"v{i}");
            await Task.Delay(1, cancellationToken).ConfigureAwait(false);
            context.YieldToRuntime();
        }
    }
}
