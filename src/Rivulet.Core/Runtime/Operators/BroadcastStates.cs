using Rivulet.Core.State;

namespace Rivulet.Core.Runtime.Operators;

/// <summary>
/// The broadcast states a broadcast connection declared (the descriptors given to <c>Broadcast</c>):
/// only those may be used, so a typo in a name fails loudly instead of reading an empty map.
/// </summary>
internal sealed class BroadcastStates(IReadOnlyCollection<string> declared)
{
    public IBroadcastState<TKey, TValue> Get<TKey, TValue>(OperatorContext context, MapStateDescriptor<TKey, TValue> descriptor)
        where TKey : notnull
    {
        ArgumentNullException.ThrowIfNull(descriptor);
        if (!declared.Contains(descriptor.Name))
        {
            throw new InvalidOperationException(
                $"Operator '{context.OperatorName}': broadcast state '{descriptor.Name}' was not declared; the broadcast stream declares " +
                $"{string.Join(", ", declared.Select(n => $"'{n}'"))} (pass the descriptor to Broadcast(…)).");
        }

        return context.OperatorState.GetBroadcastState(descriptor);
    }
}

/// <summary>A broadcast state as the non-broadcast side sees it: reads only.</summary>
internal sealed class ReadOnlyBroadcastState<TKey, TValue>(IBroadcastState<TKey, TValue> state) : IReadOnlyBroadcastState<TKey, TValue>
    where TKey : notnull
{
    public bool TryGet(TKey key, out TValue value) => state.TryGet(key, out value);

    public bool Contains(TKey key) => state.Contains(key);

    public IEnumerable<KeyValuePair<TKey, TValue>> Entries() => state.Entries();
}
