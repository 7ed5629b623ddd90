using Rivulet.Core.Api.Functions;
using Rivulet.Core.State;

namespace Rivulet.Samples.OrderEnrichment;

/// <summary>
/// Applies the rules broadcast from the <c>rules</c> topic: an order is large from the amount the rule
/// <c>min-large-amount</c> names. Until that rule is known, orders wait in keyed state; the rule's arrival
/// releases them on every subtask (<c>ApplyToKeyedState</c>).
/// </summary>
public sealed class FlagLargeOrders(MapStateDescriptor<string, int> rules) : KeyedBroadcastProcessFunction<string, EnrichedOrder, Rule, FlaggedOrder>, IRichFunction
{
    /// <summary>The rule that sets the threshold.</summary>
    public const string MinLargeAmount = "min-large-amount";

    private static readonly ListStateDescriptor<EnrichedOrder> Waiting = new("orders-waiting-for-rules");
    private IListState<EnrichedOrder> _waiting = null!;

    /// <inheritdoc />
    public void Open(IRuntimeContext context) => _waiting = context.GetListState(Waiting);

    /// <inheritdoc />
    public void Close()
    {
    }

    /// <inheritdoc />
    public override void ProcessElement(EnrichedOrder order, ReadOnlyContext context, ICollector<FlaggedOrder> output)
    {
        if (context.GetBroadcastState(rules).TryGet(MinLargeAmount, out var threshold))
        {
            output.Collect(new FlaggedOrder(order, order.Amount >= threshold));
        }
        else
        {
            _waiting.Add(order);
        }
    }

    /// <inheritdoc />
    public override void ProcessBroadcastElement(Rule rule, Context context, ICollector<FlaggedOrder> output)
    {
        context.GetBroadcastState(rules).Put(rule.Name, rule.Value);
        if (rule.Name != MinLargeAmount)
        {
            return;
        }

        context.ApplyToKeyedState(Waiting, (_, waiting) =>
        {
            foreach (var order in waiting.Get())
            {
                output.Collect(new FlaggedOrder(order, order.Amount >= rule.Value));
            }

            waiting.Clear();
        });
    }
}
