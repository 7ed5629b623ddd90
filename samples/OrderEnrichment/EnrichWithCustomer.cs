using Rivulet.Core.Api.Functions;
using Rivulet.Core.State;

namespace Rivulet.Samples.OrderEnrichment;

/// <summary>
/// Orders (first input) and customers (second input), keyed by customer id: each order leaves with its
/// customer's name; orders that come before their customer wait in keyed state. A customer not heard of
/// for 30 days is forgotten (state time-to-live), so the state does not grow with every customer ever seen.
/// </summary>
public sealed class EnrichWithCustomer : KeyedCoProcessFunction<string, Order, Customer, EnrichedOrder>, IRichFunction
{
    private IValueState<Customer?> _customer = null!;
    private IListState<Order> _waiting = null!;

    /// <inheritdoc />
    public void Open(IRuntimeContext context)
    {
        var customer = new ValueStateDescriptor<Customer?>("customer");
        customer.EnableTimeToLive(StateTtlConfig.NewBuilder(TimeSpan.FromDays(30)).CleanupFullSnapshot().Build());
        _customer = context.GetState(customer);
        _waiting = context.GetListState(new ListStateDescriptor<Order>("orders-waiting-for-customer"));
    }

    /// <inheritdoc />
    public void Close()
    {
    }

    /// <inheritdoc />
    public override void ProcessElement1(Order order, Context context, ICollector<EnrichedOrder> output)
    {
        if (_customer.Value is { } customer)
        {
            output.Collect(new EnrichedOrder(order.Id, order.CustomerId, customer.Name, order.Amount));
        }
        else
        {
            _waiting.Add(order);
        }
    }

    /// <inheritdoc />
    public override void ProcessElement2(Customer customer, Context context, ICollector<EnrichedOrder> output)
    {
        _customer.Value = customer;
        foreach (var order in _waiting.Get())
        {
            output.Collect(new EnrichedOrder(order.Id, order.CustomerId, customer.Name, order.Amount));
        }

        _waiting.Clear();
    }
}
