namespace Rivulet.Core.State;

/// <summary>
/// Operator (non-keyed) list state of one subtask. On restore at another parallelism, plain list
/// state is split evenly over the new subtasks; union list state gives every subtask all entries.
/// </summary>
public interface IOperatorStateStore
{
    IListState<T> GetListState<T>(ListStateDescriptor<T> descriptor);

    IListState<T> GetUnionListState<T>(ListStateDescriptor<T> descriptor);
}
