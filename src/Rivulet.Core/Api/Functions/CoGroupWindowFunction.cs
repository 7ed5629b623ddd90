using Rivulet.Core.Runtime;

namespace Rivulet.Core.Api.Functions;

/// <summary>One element of either stream of a window join or coGroup, on its way through the shared window.</summary>
/// <param name="IsFirst">Whether it came from the first stream.</param>
/// <param name="First">The first stream's element, when <paramref name="IsFirst"/>.</param>
/// <param name="Second">The second stream's element, otherwise.</param>
internal sealed record TaggedUnion<T1, T2>(bool IsFirst, T1? First, T2? Second);

/// <summary>
/// Runs a coGroup function over one window of the tagged union: the key's elements of each stream,
/// in arrival order. Each subtask gets its own copy of the user's function, opened and closed with it.
/// </summary>
internal sealed class CoGroupWindowFunction<T1, T2, TOut, TKey>(ICoGroupFunction<T1, T2, TOut> function)
    : ProcessWindowFunction<TaggedUnion<T1, T2>, TOut, TKey>, IRichFunction
{
    private ICoGroupFunction<T1, T2, TOut> _function = function;

    public void Open(IRuntimeContext context)
    {
        _function = FunctionCloner.Clone(_function);
        (_function as IRichFunction)?.Open(context);
    }

    public void Close() => (_function as IRichFunction)?.Close();

    public override void Process(TKey key, Context context, IEnumerable<TaggedUnion<T1, T2>> elements, ICollector<TOut> output)
    {
        var all = elements as IReadOnlyCollection<TaggedUnion<T1, T2>> ?? [.. elements];
        _function.CoGroup(all.Where(e => e.IsFirst).Select(e => e.First!), all.Where(e => !e.IsFirst).Select(e => e.Second!), output);
    }
}

/// <summary>An inner join as a coGroup: every pair of the window's two sides, none when a side is empty.</summary>
internal sealed class JoinAsCoGroup<T1, T2, TOut>(IJoinFunction<T1, T2, TOut> join) : ICoGroupFunction<T1, T2, TOut>, IRichFunction
{
    private IJoinFunction<T1, T2, TOut> _join = join;

    public void Open(IRuntimeContext context)
    {
        _join = FunctionCloner.Clone(_join);
        (_join as IRichFunction)?.Open(context);
    }

    public void Close() => (_join as IRichFunction)?.Close();

    public void CoGroup(IEnumerable<T1> first, IEnumerable<T2> second, ICollector<TOut> output)
    {
        var seconds = second as IReadOnlyCollection<T2> ?? [.. second];
        foreach (var a in first)
        {
            foreach (var b in seconds)
            {
                output.Collect(_join.Join(a, b));
            }
        }
    }
}
