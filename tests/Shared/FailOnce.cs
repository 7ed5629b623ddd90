using System.Collections.Concurrent;
using Rivulet.Core.Api.Functions;

namespace Rivulet.Tests.Shared;

/// <summary>Throws the first time each given value passes; shared by all copies of the function, so a restarted job passes it.</summary>
internal sealed class FailOnce<T>(params T[] values) : IMapFunction<T, T>
    where T : notnull
{
    private readonly ConcurrentDictionary<T, bool> _pending = new(values.Select(v => KeyValuePair.Create(v, true)));

    public T Map(T value) => _pending.TryRemove(value, out _) ? throw new InvalidOperationException($"injected failure at {value}") : value;
}
