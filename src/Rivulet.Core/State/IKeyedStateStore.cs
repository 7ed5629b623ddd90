namespace Rivulet.Core.State;

/// <summary>Keyed state, scoped to the key of the element being processed.</summary>
public interface IKeyedStateStore
{
    /// <summary>The value state named by <paramref name="descriptor"/> (Flink's <c>ValueState</c>), restored if the checkpoint holds it; the same handle for every call with that name.</summary>
    /// <exception cref="InvalidOperationException">The name is registered already as another kind or type of state, or the type has no built-in serializer (pass one in the descriptor).</exception>
    IValueState<T> GetState<T>(ValueStateDescriptor<T> descriptor);

    /// <summary>The list state named by <paramref name="descriptor"/> (Flink's <c>ListState</c>), restored if the checkpoint holds it; the same handle for every call with that name.</summary>
    /// <exception cref="InvalidOperationException">The name is registered already as another kind or type of state, or the type has no built-in serializer (pass one in the descriptor).</exception>
    IListState<T> GetListState<T>(ListStateDescriptor<T> descriptor);

    /// <summary>The map state named by <paramref name="descriptor"/> (Flink's <c>MapState</c>), restored if the checkpoint holds it; the same handle for every call with that name.</summary>
    /// <exception cref="InvalidOperationException">The name is registered already as another kind or type of state, or the type has no built-in serializer (pass one in the descriptor).</exception>
    IMapState<TKey, TValue> GetMapState<TKey, TValue>(MapStateDescriptor<TKey, TValue> descriptor)
        where TKey : notnull;

    /// <summary>The reducing state named by <paramref name="descriptor"/> (Flink's <c>ReducingState</c>), restored if the checkpoint holds it; the same handle for every call with that name.</summary>
    /// <exception cref="InvalidOperationException">The name is registered already as another kind or type of state, or the type has no built-in serializer (pass one in the descriptor).</exception>
    IReducingState<T> GetReducingState<T>(ReducingStateDescriptor<T> descriptor);
}
