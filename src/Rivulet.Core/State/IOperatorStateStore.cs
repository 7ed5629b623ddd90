namespace Rivulet.Core.State;

/// <summary>
/// Operator (non-keyed) list state of one subtask. On restore at another parallelism, plain list
/// state is split evenly over the new subtasks; union list state gives every subtask all entries.
/// </summary>
public interface IOperatorStateStore
{
    /// <summary>
    /// This subtask's list state named by <paramref name="descriptor"/>, with what it restored (Flink's even-split
    /// redistribution): at the same parallelism each subtask gets back its own entries, at another they are split evenly.
    /// </summary>
    /// <exception cref="InvalidOperationException">The name is registered already with another type or mode, was checkpointed in the other mode, or the type has no built-in serializer.</exception>
    IListState<T> GetListState<T>(ListStateDescriptor<T> descriptor);

    /// <summary>This subtask's union list state named by <paramref name="descriptor"/> (Flink's union list state): on restore every subtask gets the entries of all subtasks.</summary>
    /// <exception cref="InvalidOperationException">The name is registered already with another type or mode, was checkpointed in the other mode, or the type has no built-in serializer.</exception>
    IListState<T> GetUnionListState<T>(ListStateDescriptor<T> descriptor);
}
