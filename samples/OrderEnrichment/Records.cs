namespace Rivulet.Samples.OrderEnrichment;

/// <summary>A customer, from the <c>customers</c> topic (JSON); a later record for the same id updates it.</summary>
public sealed record Customer(string Id, string Name);

/// <summary>An order, from the <c>orders</c> topic (JSON).</summary>
public sealed record Order(string Id, string CustomerId, int Amount);

/// <summary>A rule, from the <c>rules</c> topic (JSON): <c>min-large-amount</c> says from which amount an order is large.</summary>
public sealed record Rule(string Name, int Value);

/// <summary>An order with its customer's name.</summary>
public sealed record EnrichedOrder(string OrderId, string CustomerId, string CustomerName, int Amount);

/// <summary>An enriched order and whether the rules call it large.</summary>
public sealed record FlaggedOrder(EnrichedOrder Order, bool Large);

/// <summary>What the job writes to <c>enriched-orders</c> (JSON): the enriched order, whether it is large, its loyalty points.</summary>
public sealed record OrderReport(string OrderId, string CustomerId, string CustomerName, int Amount, bool Large, int LoyaltyPoints);
