using Rivulet.Core.Runtime;
using Rivulet.Core.Runtime.IO;
using Rivulet.Core.Runtime.Operators;
using Rivulet.Core.State;

namespace Rivulet.Core.Graph;

/// <summary>
/// A two-input operator created by a factory from its output. Its input edges say which input they
/// feed (<see cref="StreamEdge.InputIndex"/>); it is always the head of its chain.
/// </summary>
internal sealed class TwoInputNode<T1, T2, TOut>(int id, string name, Func<IOutput<TOut>, TwoInputOperator<T1, T2, TOut>> factory) : StreamNode<TOut>(id, name)
{
    public override bool IsSource => false;

    /// <summary>Set when both inputs are keyed: how to build the keyed backend they share.</summary>
    public Func<string, int, KeyGroupRange, IKeyedStateBackend>? KeyedBackendFactory { get; init; }

    public override StreamOperator CreateOperator(object output) => factory((IOutput<TOut>)output);

    public override Action<int, object> CreateBatchProcessor(StreamOperator head)
    {
        var op = (TwoInputOperator<T1, T2, TOut>)head;
        return (input, item) =>
        {
            if (input == 0)
            {
                var batch = (RecordBatch<T1>)item;
                for (var i = 0; i < batch.Count; i++)
                {
                    op.ProcessElement1(batch.Values[i], batch.TimestampAt(i));
                }
            }
            else
            {
                var batch = (RecordBatch<T2>)item;
                for (var i = 0; i < batch.Count; i++)
                {
                    op.ProcessElement2(batch.Values[i], batch.TimestampAt(i));
                }
            }
        };
    }

    public override IKeyedStateBackend? CreateKeyedBackend(string owner, int maxParallelism, KeyGroupRange range) =>
        KeyedBackendFactory?.Invoke(owner, maxParallelism, range);
}
