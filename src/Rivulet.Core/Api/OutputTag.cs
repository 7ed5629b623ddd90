using Rivulet.Core.Runtime;
using Rivulet.Core.Runtime.IO;
using Rivulet.Core.State.Serialization;

namespace Rivulet.Core.Api;

/// <summary>
/// Names a side output of an operator (Flink's <c>OutputTag</c>): records emitted to it travel
/// beside the operator's main output and are read with <see cref="DataStream{T}.GetSideOutput{TSide}"/>.
/// Tags are equal when their ids are.
/// </summary>
public abstract class OutputTag
{
    private protected OutputTag(string id)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        Id = id;
    }

    /// <summary>The side output's name, which identifies it among the side outputs of the operator emitting to it.</summary>
    public string Id { get; }

    internal abstract object CreateRecordWriter(Graph.StreamEdge edge, IReadOnlyList<IOutputChannel> channels, int subtaskIndex, int maxParallelism, int batchSize, CancellationToken cancellationToken);

    internal abstract IEventOutput CreateFanOut(IReadOnlyList<object> writers);

    internal abstract ChannelCodec CreateChannelCodec(string owner, TypeSerializerRegistry serializers);

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is OutputTag other && other.Id == Id && other.GetType() == GetType();

    /// <inheritdoc />
    public override int GetHashCode() => Id.GetHashCode(StringComparison.Ordinal);

    /// <inheritdoc />
    public override string ToString() => Id;
}

/// <summary>A side output carrying records of <typeparamref name="T"/>.</summary>
public sealed class OutputTag<T>(string id) : OutputTag(id)
{
    internal override object CreateRecordWriter(Graph.StreamEdge edge, IReadOnlyList<IOutputChannel> channels, int subtaskIndex, int maxParallelism, int batchSize, CancellationToken cancellationToken) =>
        RecordWriters.Create<T>(edge, channels, subtaskIndex, maxParallelism, batchSize, cancellationToken);

    internal override ChannelCodec CreateChannelCodec(string owner, TypeSerializerRegistry serializers) => new ChannelCodec<T>(serializers.For<T>(owner));

    internal override IEventOutput CreateFanOut(IReadOnlyList<object> writers) =>
        writers.Count == 1 ? (IOutput<T>)writers[0] : new FanOutOutput<T>([.. writers.Cast<IOutput<T>>()]);
}
