using Rivulet.Core.Runtime;
using Rivulet.Core.Runtime.IO;
using Rivulet.Core.Runtime.Operators;
using Rivulet.Core.State;
using Rivulet.Core.State.Serialization;

namespace Rivulet.Core.Graph;

/// <summary>An operator of the job as the user built it: what it is, its settings and its edges.</summary>
internal abstract class StreamNode(int id, string name)
{
    public int Id { get; } = id;

    public string Name { get; set; } = name;

    public string? Uid { get; set; }

    /// <summary>Null = the job's default parallelism.</summary>
    public int? Parallelism { get; set; }

    public List<StreamEdge> Inputs { get; } = [];

    public List<StreamEdge> Outputs { get; } = [];

    /// <summary>The uid state is stored under: the user's, or one derived from the node's position and name.</summary>
    public string EffectiveUid => Uid ?? $"{Id}-{Name}";

    public abstract bool IsSource { get; }

    /// <summary>Creates this operator for one subtask, emitting into <paramref name="output"/> (an <c>IOutput&lt;TOut&gt;</c>).</summary>
    public abstract StreamOperator CreateOperator(object output);

    /// <summary>For keyed operators: their state backend for the subtask's key groups.</summary>
    public virtual IKeyedStateBackend? CreateKeyedBackend(string owner, int maxParallelism, KeyGroupRange range) => null;

    public abstract object CreateRecordWriter(StreamEdge edge, IReadOnlyList<IOutputChannel> channels, int subtaskIndex, int maxParallelism, int batchSize, CancellationToken cancellationToken);

    /// <summary>How the records of <paramref name="edge"/> (main or side output of this node) cross a process boundary.</summary>
    public ChannelCodec CreateChannelCodec(StreamEdge edge, TypeSerializerRegistry serializers) =>
        edge.SideOutput is { } tag ? tag.CreateChannelCodec($"Edge {edge}", serializers) : CreateMainOutputCodec($"Edge {edge}", serializers);

    private protected abstract ChannelCodec CreateMainOutputCodec(string owner, TypeSerializerRegistry serializers);

    public abstract object CreateFanOut(IReadOnlyList<object> outputs);

    public abstract object CreateDiscardingOutput();

    /// <summary>An output that calls <paramref name="next"/> (the downstream chained operator) directly.</summary>
    public abstract object CreateChainingOutput(StreamOperator next);

    public abstract SubtaskOutput CreateSubtaskOutput(object output);

    /// <summary>Wraps the main output so events also reach the node's side outputs.</summary>
    public abstract object CreateSideOutputCarrier(object main, IReadOnlyList<IEventOutput> sides);

    /// <summary>For chain heads with network input: feeds a batch received on an edge with the given <see cref="StreamEdge.InputIndex"/> to the operator.</summary>
    public abstract Action<int, object> CreateBatchProcessor(StreamOperator head);
}

/// <summary>A node whose records are of type <typeparamref name="TOut"/>.</summary>
internal abstract class StreamNode<TOut>(int id, string name) : StreamNode(id, name)
{
    public override object CreateRecordWriter(StreamEdge edge, IReadOnlyList<IOutputChannel> channels, int subtaskIndex, int maxParallelism, int batchSize, CancellationToken cancellationToken) =>
        RecordWriters.Create<TOut>(edge, channels, subtaskIndex, maxParallelism, batchSize, cancellationToken);

    private protected override ChannelCodec CreateMainOutputCodec(string owner, TypeSerializerRegistry serializers) => new ChannelCodec<TOut>(serializers.For<TOut>(owner));

    public override object CreateFanOut(IReadOnlyList<object> outputs) =>
        outputs.Count == 1 ? outputs[0] : new FanOutOutput<TOut>([.. outputs.Cast<IOutput<TOut>>()]);

    public override object CreateDiscardingOutput() => DiscardingOutput<TOut>.Instance;

    public override object CreateChainingOutput(StreamOperator next) => new ChainingOutput<TOut>((IInput<TOut>)next, next);

    public override SubtaskOutput CreateSubtaskOutput(object output) => SubtaskOutput.For((IOutput<TOut>)output);

    public override object CreateSideOutputCarrier(object main, IReadOnlyList<IEventOutput> sides) => new SideOutputCarrier<TOut>((IOutput<TOut>)main, sides);
}

/// <summary>A source: runs a source function.</summary>
internal sealed class SourceNode<T>(int id, string name, Api.Functions.ISourceFunction<T> function) : StreamNode<T>(id, name)
{
    public Api.Functions.ISourceFunction<T> Function { get; } = function;

    public override bool IsSource => true;

    public override StreamOperator CreateOperator(object output) => new SourceOperator<T>(FunctionCloner.Clone(Function), (IOutput<T>)output);

    public override Action<int, object> CreateBatchProcessor(StreamOperator head) => (_, _) => throw new InvalidOperationException("A source has no network input.");
}

/// <summary>A one-input operator created by a factory from its output.</summary>
internal sealed class OperatorNode<TIn, TOut>(int id, string name, Func<IOutput<TOut>, OneInputOperator<TIn, TOut>> factory) : StreamNode<TOut>(id, name)
{
    public override bool IsSource => false;

    /// <summary>Set for operators after KeyBy: how to build their keyed backend.</summary>
    public Func<string, int, KeyGroupRange, IKeyedStateBackend>? KeyedBackendFactory { get; init; }

    public override StreamOperator CreateOperator(object output) => factory((IOutput<TOut>)output);

    public override Action<int, object> CreateBatchProcessor(StreamOperator head)
    {
        var input = (IInput<TIn>)head;
        return (_, item) =>
        {
            var batch = (RecordBatch<TIn>)item;
            var values = batch.Values;
            if (batch.Timestamps is null)
            {
                for (var i = 0; i < batch.Count; i++)
                {
                    input.ProcessElement(values[i], RecordBatch<TIn>.NoTimestamp);
                }
            }
            else
            {
                var timestamps = batch.Timestamps;
                for (var i = 0; i < batch.Count; i++)
                {
                    input.ProcessElement(values[i], timestamps[i]);
                }
            }
        };
    }

    public override IKeyedStateBackend? CreateKeyedBackend(string owner, int maxParallelism, KeyGroupRange range) =>
        KeyedBackendFactory?.Invoke(owner, maxParallelism, range);
}
