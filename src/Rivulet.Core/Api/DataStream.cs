using Rivulet.Core.Api.Connectors;
using Rivulet.Core.Api.Functions;
using Rivulet.Core.Graph;
using Rivulet.Core.Runtime;
using Rivulet.Core.Runtime.IO;
using Rivulet.Core.Runtime.Operators;
using Rivulet.Core.Time;

namespace Rivulet.Core.Api;

/// <summary>A stream of elements of <typeparamref name="T"/> (Flink's <c>DataStream</c>).</summary>
public class DataStream<T>
{
    internal DataStream(StreamExecutionEnvironment environment, IReadOnlyList<StreamNode<T>> upstreams, PartitionerKind? partitioning = null)
    {
        Environment = environment;
        Upstreams = upstreams;
        Partitioning = partitioning;
    }

    /// <summary>The environment whose job this stream belongs to.</summary>
    public StreamExecutionEnvironment Environment { get; }

    internal IReadOnlyList<StreamNode<T>> Upstreams { get; }

    internal PartitionerKind? Partitioning { get; }

    private StreamNode Node => Upstreams.Count == 1
        ? Upstreams[0]
        : throw new InvalidOperationException("A union of streams has no single operator to name or configure; configure the streams before Union.");

    /// <summary>
    /// Names this stream's operator in logs, metrics and error messages. Without a <see cref="Uid"/>,
    /// the name is part of the id the operator's state is stored under, so renaming it changes that id.
    /// </summary>
    /// <exception cref="InvalidOperationException">This stream is a union, which has no single operator to name.</exception>
    public DataStream<T> Name(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        Node.Name = name;
        return this;
    }

    /// <summary>The id its state is stored under in checkpoints; keep it stable across versions of the job.</summary>
    public DataStream<T> Uid(string uid)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(uid);
        Node.Uid = uid;
        return this;
    }

    /// <summary>Sets how many parallel subtasks run this stream's operator (default: <see cref="StreamExecutionEnvironment.Parallelism"/>).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="parallelism"/> is below 1 or above <see cref="StreamExecutionEnvironment.MaxParallelism"/>.</exception>
    /// <exception cref="InvalidOperationException">This stream is a union, which has no single operator to configure.</exception>
    public DataStream<T> SetParallelism(int parallelism)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(parallelism, 1);
        if (parallelism > Environment.MaxParallelism)
        {
            throw new ArgumentOutOfRangeException(nameof(parallelism), parallelism, $"Operator '{Node.Name}': parallelism {parallelism} exceeds the max parallelism {Environment.MaxParallelism}.");
        }

        Node.Parallelism = parallelism;
        return this;
    }

    /// <summary>Transforms every element with <paramref name="map"/>, one result per element (Flink's <c>map</c>).</summary>
    public DataStream<TOut> Map<TOut>(Func<T, TOut> map) => Map(new LambdaMap<T, TOut>(map));

    /// <summary>Transforms every element with <paramref name="function"/>, one result per element (Flink's <c>map</c>).</summary>
    /// <param name="function">The function; each parallel subtask runs its own (shallow) copy.</param>
    public DataStream<TOut> Map<TOut>(IMapFunction<T, TOut> function)
    {
        ArgumentNullException.ThrowIfNull(function);
        return Then<TOut>("Map", output => new MapOperator<T, TOut>(FunctionCloner.Clone(function), output));
    }

    /// <summary>Calls <paramref name="flatMap"/> for every element; it emits any number of results into the collector (Flink's <c>flatMap</c>).</summary>
    public DataStream<TOut> FlatMap<TOut>(Action<T, ICollector<TOut>> flatMap) => FlatMap(new LambdaFlatMap<T, TOut>(flatMap));

    /// <summary>Calls <paramref name="function"/> for every element; it emits any number of results (Flink's <c>flatMap</c>).</summary>
    /// <param name="function">The function; each parallel subtask runs its own (shallow) copy.</param>
    public DataStream<TOut> FlatMap<TOut>(IFlatMapFunction<T, TOut> function)
    {
        ArgumentNullException.ThrowIfNull(function);
        return Then<TOut>("Flat Map", output => new FlatMapOperator<T, TOut>(FunctionCloner.Clone(function), output));
    }

    /// <summary>Keeps the elements for which <paramref name="filter"/> returns true (Flink's <c>filter</c>).</summary>
    public DataStream<T> Filter(Func<T, bool> filter) => Filter(new LambdaFilter<T>(filter));

    /// <summary>Keeps the elements for which <paramref name="function"/> returns true (Flink's <c>filter</c>).</summary>
    /// <param name="function">The function; each parallel subtask runs its own (shallow) copy.</param>
    public DataStream<T> Filter(IFilterFunction<T> function)
    {
        ArgumentNullException.ThrowIfNull(function);
        return Then<T>("Filter", output => new FilterOperator<T>(FunctionCloner.Clone(function), output));
    }

    /// <summary>
    /// Runs <paramref name="function"/> on every element, with the element's timestamp, the watermark and
    /// side outputs at hand (Flink's <c>process</c>); for keyed state and timers, <see cref="KeyBy{TKey}"/> first.
    /// </summary>
    /// <param name="function">The function; each parallel subtask runs its own (shallow) copy.</param>
    public DataStream<TOut> Process<TOut>(ProcessFunction<T, TOut> function)
    {
        ArgumentNullException.ThrowIfNull(function);
        return Then<TOut>("Process", output => new ProcessOperator<T, TOut>(FunctionCloner.Clone(function), output));
    }

    /// <summary>
    /// Assigns event timestamps and generates watermarks with <paramref name="strategy"/>, in
    /// each parallel instance of this stream (Flink's <c>assignTimestampsAndWatermarks</c>).
    /// Watermarks from upstream are replaced by the strategy's own.
    /// </summary>
    public DataStream<T> AssignTimestampsAndWatermarks(WatermarkStrategy<T> strategy)
    {
        ArgumentNullException.ThrowIfNull(strategy);
        return Then<T>("Timestamps/Watermarks", output => new TimestampsAndWatermarksOperator<T>(strategy, output));
    }

    /// <summary>
    /// The records this stream's operator emitted to the side output <paramref name="tag"/>
    /// (late window input, or a process function's <c>Output(tag, value)</c>).
    /// </summary>
    public DataStream<TSide> GetSideOutput<TSide>(OutputTag<TSide> tag)
    {
        ArgumentNullException.ThrowIfNull(tag);
        var producer = Node;
        if (producer.IsSource)
        {
            throw new InvalidOperationException($"Source '{producer.Name}' has no side outputs; side outputs come from process functions and windows.");
        }

        // A pass-through operator gives the side output a node of its own type to build on.
        var node = Environment.Register(id => new OperatorNode<TSide, TSide>(id, $"Side Output ({tag.Id})", output => new MapOperator<TSide, TSide>(new LambdaMap<TSide, TSide>(v => v), output)));
        var edge = new StreamEdge(producer, node, PartitionerKind.Default, keyGroupFunction: null, tag);
        producer.Outputs.Add(edge);
        node.Inputs.Add(edge);
        return new DataStream<TSide>(Environment, [node]);
    }

    /// <summary>Partitions by key: elements with the same key go to the same subtask and share keyed state.</summary>
    public KeyedStream<TKey, T> KeyBy<TKey>(Func<T, TKey> keySelector)
        where TKey : notnull =>
        new(this, keySelector ?? throw new ArgumentNullException(nameof(keySelector)));

    /// <summary>
    /// Connects this stream with <paramref name="other"/>, of any type, for an operator with two inputs
    /// that may share state between them (Flink's <c>connect</c>): <c>Map</c>, <c>FlatMap</c> or
    /// <c>Process</c> on the result, or <c>KeyBy</c> both first for keyed state and timers.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="other"/> belongs to another environment.</exception>
    public ConnectedStreams<T, T2> Connect<T2>(DataStream<T2> other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return new ConnectedStreams<T, T2>(this, other);
    }

    /// <summary>
    /// Connects this (non-keyed) stream with a broadcast stream (Flink's <c>connect(broadcastStream)</c>):
    /// process both with a <see cref="BroadcastProcessFunction{TIn1, TIn2, TOut}"/>.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="broadcast"/> belongs to another environment.</exception>
    public BroadcastConnectedStream<T, T2> Connect<T2>(BroadcastStream<T2> broadcast)
    {
        ArgumentNullException.ThrowIfNull(broadcast);
        return new BroadcastConnectedStream<T, T2>(this, broadcast);
    }

    /// <summary>
    /// Starts a window join with <paramref name="other"/> (Flink's <c>join</c>):
    /// <c>Where(key1).EqualTo(key2).Window(assigner).Apply(join)</c>.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="other"/> belongs to another environment.</exception>
    public JoinedStreams<T, T2> Join<T2>(DataStream<T2> other) => new(this, SameEnvironment(other));

    /// <summary>
    /// Starts a window coGroup with <paramref name="other"/> (Flink's <c>coGroup</c>):
    /// <c>Where(key1).EqualTo(key2).Window(assigner).Apply(coGroup)</c>.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="other"/> belongs to another environment.</exception>
    public CoGroupedStreams<T, T2> CoGroup<T2>(DataStream<T2> other) => new(this, SameEnvironment(other));

    /// <summary>Merges streams of the same type.</summary>
    public DataStream<T> Union(params DataStream<T>[] others) =>
        new(Environment, [.. Upstreams, .. others.SelectMany(o => o.Upstreams)]);

    /// <summary>Round-robin to the next operator's subtasks.</summary>
    public DataStream<T> Rebalance() => new(Environment, Upstreams, PartitionerKind.Rebalance);

    /// <summary>Random spread to the next operator's subtasks.</summary>
    public DataStream<T> Shuffle() => new(Environment, Upstreams, PartitionerKind.Shuffle);

    /// <summary>Every element to every subtask of the next operator.</summary>
    public DataStream<T> Broadcast() => new(Environment, Upstreams, PartitionerKind.Broadcast);

    /// <summary>
    /// Every element to every subtask of the operator this stream gets connected to, which keeps the
    /// broadcast states the descriptors name (Flink's <c>broadcast(MapStateDescriptor…)</c>, the broadcast
    /// state pattern): connect a stream to the result (<see cref="Connect{T2}(BroadcastStream{T2})"/>).
    /// </summary>
    /// <param name="descriptor">A broadcast state, a <see cref="State.MapStateDescriptor{TKey, TValue}"/>.</param>
    /// <param name="more">Further broadcast states.</param>
    /// <exception cref="ArgumentException">A descriptor is not a map state descriptor, or two share a name.</exception>
    public BroadcastStream<T> Broadcast(State.StateDescriptor descriptor, params State.StateDescriptor[] more)
    {
        ArgumentNullException.ThrowIfNull(descriptor);
        ArgumentNullException.ThrowIfNull(more);
        var all = more.Prepend(descriptor).ToList();
        foreach (var d in all)
        {
            ArgumentNullException.ThrowIfNull(d, nameof(more));
            if (!d.GetType().IsGenericType || d.GetType().GetGenericTypeDefinition() != typeof(State.MapStateDescriptor<,>))
            {
                throw new ArgumentException($"Broadcast: state '{d.Name}' is a {d.GetType().Name}; broadcast state is map state (MapStateDescriptor<TKey, TValue>).", nameof(descriptor));
            }
        }

        var duplicate = all.GroupBy(d => d.Name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new ArgumentException($"Broadcast: the broadcast state '{duplicate.Key}' is named twice.", nameof(more));
        }

        return new BroadcastStream<T>(Broadcast(), [.. all.Select(d => d.Name)]);
    }

    /// <summary>Subtask i to subtask i (same parallelism required).</summary>
    public DataStream<T> Forward() => new(Environment, Upstreams, PartitionerKind.Forward);

    /// <summary>Writes the stream to a built sink (Flink's <c>stream.sinkTo(sink)</c>), for example one from <c>KafkaSink.Builder&lt;T&gt;()</c>.</summary>
    /// <param name="sink">The sink.</param>
    /// <param name="name">The sink operator's name in logs and metrics.</param>
    public DataStreamSink<T> SinkTo(ISink<T> sink, string name = "Sink")
    {
        ArgumentNullException.ThrowIfNull(sink);
        return AddSink(sink.CreateSinkFunction(), name);
    }

    /// <summary>Writes the stream with a sink function (the seeds' <c>stream.addSink(new FlinkKafkaProducer&lt;&gt;(…))</c>).</summary>
    /// <param name="sink">The function; each parallel subtask runs its own copy.</param>
    /// <param name="name">The sink operator's name in logs and metrics.</param>
    public DataStreamSink<T> AddSink(ISinkFunction<T> sink, string name = "Sink")
    {
        ArgumentNullException.ThrowIfNull(sink);
        var node = AttachTo(Environment.Register(id => new OperatorNode<T, T>(id, name, _ => new SinkOperator<T>(FunctionCloner.Clone(sink)))), keyGroupFunction: null);
        return new DataStreamSink<T>(node, Environment);
    }

    /// <summary>Writes the stream by calling <paramref name="sink"/> for every element.</summary>
    /// <param name="sink">The action; all parallel subtasks share it, so with parallelism above 1 it is called concurrently.</param>
    /// <param name="name">The sink operator's name in logs and metrics.</param>
    public DataStreamSink<T> AddSink(Action<T> sink, string name = "Sink") => AddSink(new LambdaSink<T>(sink), name);

    /// <summary>Writes every element to standard output ("n> element" when parallel), as Flink's print().</summary>
    public DataStreamSink<T> Print(string? sinkIdentifier = null) => AddSink(new PrintSinkFunction<T>(sinkIdentifier: sinkIdentifier), "Print to Std. Out");

    internal DataStream<TOut> Then<TOut>(string name, Func<IOutput<TOut>, OneInputOperator<T, TOut>> factory, Func<string, int, State.KeyGroupRange, State.IKeyedStateBackend>? keyedBackend = null, Func<int, object>? keyGroupFunction = null)
    {
        var node = Environment.Register(id => new OperatorNode<T, TOut>(id, name, factory) { KeyedBackendFactory = keyedBackend });
        AttachTo(node, keyGroupFunction);
        return new DataStream<TOut>(Environment, [node]);
    }

    /// <summary><paramref name="other"/>, checked to belong to this stream's environment (streams of two jobs cannot meet).</summary>
    internal DataStream<T2> SameEnvironment<T2>(DataStream<T2> other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return ReferenceEquals(other.Environment, Environment)
            ? other
            : throw new ArgumentException("Both streams must belong to the same StreamExecutionEnvironment.", nameof(other));
    }

    /// <summary>Feeds this stream into input <paramref name="inputIndex"/> of <paramref name="target"/>: hash-partitioned by <paramref name="keyGroupFunction"/> when given.</summary>
    internal TNode AttachTo<TNode>(TNode target, Func<int, object>? keyGroupFunction, int inputIndex = 0)
        where TNode : StreamNode
    {
        foreach (var upstream in Upstreams)
        {
            var kind = keyGroupFunction is not null ? PartitionerKind.Hash : Partitioning ?? PartitionerKind.Default;
            var edge = new StreamEdge(upstream, target, kind, keyGroupFunction) { InputIndex = inputIndex };
            upstream.Outputs.Add(edge);
            target.Inputs.Add(edge);
        }

        return target;
    }
}

/// <summary>The end of a stream; configure the sink operator.</summary>
public sealed class DataStreamSink<T>
{
    private readonly StreamNode _node;
    private readonly StreamExecutionEnvironment _environment;

    internal DataStreamSink(StreamNode node, StreamExecutionEnvironment environment)
    {
        _node = node;
        _environment = environment;
    }

    /// <summary>
    /// Names the sink operator in logs, metrics and error messages. Without a <see cref="Uid"/>, the name
    /// is part of the id the sink's state is stored under, so renaming it changes that id.
    /// </summary>
    public DataStreamSink<T> Name(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        _node.Name = name;
        return this;
    }

    /// <summary>The id the sink's state is stored under in checkpoints; keep it stable across versions of the job.</summary>
    public DataStreamSink<T> Uid(string uid)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(uid);
        _node.Uid = uid;
        return this;
    }

    /// <summary>Sets how many parallel subtasks run the sink (default: <see cref="StreamExecutionEnvironment.Parallelism"/>).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="parallelism"/> is below 1 or above <see cref="StreamExecutionEnvironment.MaxParallelism"/>.</exception>
    public DataStreamSink<T> SetParallelism(int parallelism)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(parallelism, 1);
        if (parallelism > _environment.MaxParallelism)
        {
            throw new ArgumentOutOfRangeException(nameof(parallelism), parallelism, $"Sink '{_node.Name}': parallelism {parallelism} exceeds the max parallelism {_environment.MaxParallelism}.");
        }

        _node.Parallelism = parallelism;
        return this;
    }
}
