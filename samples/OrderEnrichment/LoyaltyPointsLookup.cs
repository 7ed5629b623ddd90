using Rivulet.Core.Api.Functions;

namespace Rivulet.Samples.OrderEnrichment;

/// <summary>
/// Asks the loyalty service how many points an order earns — here a stand-in that answers after a short
/// delay, as a remote call would (a point per 10 of amount, twice that for large orders). Many calls are
/// in flight at once; the job's checkpoints include the ones still open.
/// </summary>
public sealed class LoyaltyPointsLookup(TimeSpan latency) : IAsyncFunction<FlaggedOrder, OrderReport>
{
    /// <inheritdoc />
    public async Task<IReadOnlyCollection<OrderReport>> InvokeAsync(FlaggedOrder input, CancellationToken cancellationToken)
    {
        await Task.Delay(latency, cancellationToken);
        var (order, large) = input;
        var points = order.Amount / 10 * (large ? 2 : 1);
        return [new OrderReport(order.OrderId, order.CustomerId, order.CustomerName, order.Amount, large, points)];
    }
}
