namespace Rivulet.Core.State;

/// <summary>Keyed state, scoped to the key of the element being processed.</summary>
public interface IKeyedStateStore
{
    IValueState<T> GetState<T>(ValueStateDescriptor<T> descriptor);

    IListState<T> GetListState<T>(ListStateDescriptor<T> descriptor);

    IMapState<TKey, TValue> GetMapState<TKey, TValue>(MapStateDescriptor<TKey, TValue> descriptor)
        where TKey : notnull;

    IReducingState<T> GetReducingState<T>(ReducingStateDescriptor<T> descriptor);
}
