using Rivulet.Core.Api.Connectors;
using Rivulet.Core.Api.Functions;
using Rivulet.Core.Graph;
using Rivulet.Core.Runtime;
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

    public StreamExecutionEnvironment Environment { get; }

    internal IReadOnlyList<StreamNode<T>> Upstreams { get; }

    internal PartitionerKind? Partitioning { get; }

    private StreamNode Node => Upstreams.Count == 1
        ? Upstreams[0]
        : throw new InvalidOperationException("A union of streams has no single operator to name or configure; configure the streams before Union.");

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

    public DataStream<TOut> Map<TOut>(Func<T, TOut> map) => Map(new LambdaMap<T, TOut>(map));

    public DataStream<TOut> Map<TOut>(IMapFunction<T, TOut> function) =>
        Then<TOut>("Map", output => new MapOperator<T, TOut>(FunctionCloner.Clone(function), output));

    public DataStream<TOut> FlatMap<TOut>(Action<T, ICollector<TOut>> flatMap) => FlatMap(new LambdaFlatMap<T, TOut>(flatMap));

    public DataStream<TOut> FlatMap<TOut>(IFlatMapFunction<T, TOut> function) =>
        Then<TOut>("Flat Map", output => new FlatMapOperator<T, TOut>(FunctionCloner.Clone(function), output));

    public DataStream<T> Filter(Func<T, bool> filter) => Filter(new LambdaFilter<T>(filter));

    public DataStream<T> Filter(IFilterFunction<T> function) =>
        Then<T>("Filter", output => new FilterOperator<T>(FunctionCloner.Clone(function), output));

    public DataStream<TOut> Process<TOut>(ProcessFunction<T, TOut> function) =>
        Then<TOut>("Process", output => new ProcessOperator<T, TOut>(FunctionCloner.Clone(function), output));

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

    /// <summary>Merges streams of the same type.</summary>
    public DataStream<T> Union(params DataStream<T>[] others) =>
        new(Environment, [.. Upstreams, .. others.SelectMany(o => o.Upstreams)]);

    /// <summary>Round-robin to the next operator's subtasks.</summary>
    public DataStream<T> Rebalance() => new(Environment, Upstreams, PartitionerKind.Rebalance);

    /// <summary>Random spread to the next operator's subtasks.</summary>
    public DataStream<T> Shuffle() => new(Environment, Upstreams, PartitionerKind.Shuffle);

    /// <summary>Every element to every subtask of the next operator.</summary>
    public DataStream<T> Broadcast() => new(Environment, Upstreams, PartitionerKind.Broadcast);

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
        var node = Connect(Environment.Register(id => new OperatorNode<T, T>(id, name, _ => new SinkOperator<T>(FunctionCloner.Clone(sink)))), keyGroupFunction: null);
        return new DataStreamSink<T>(node, Environment);
    }

    public DataStreamSink<T> AddSink(Action<T> sink, string name = "Sink") => AddSink(new LambdaSink<T>(sink), name);

    /// <summary>Writes every element to standard output ("n> element" when parallel), as Flink's print().</summary>
    public DataStreamSink<T> Print(string? sinkIdentifier = null) => AddSink(new PrintSinkFunction<T>(sinkIdentifier: sinkIdentifier), "Print to Std. Out");

    internal DataStream<TOut> Then<TOut>(string name, Func<IOutput<TOut>, OneInputOperator<T, TOut>> factory, Func<string, int, State.KeyGroupRange, State.IKeyedStateBackend>? keyedBackend = null, Func<int, object>? keyGroupFunction = null)
    {
        var node = Environment.Register(id => new OperatorNode<T, TOut>(id, name, factory) { KeyedBackendFactory = keyedBackend });
        Connect(node, keyGroupFunction);
        return new DataStream<TOut>(Environment, [node]);
    }

    private TNode Connect<TNode>(TNode target, Func<int, object>? keyGroupFunction)
        where TNode : StreamNode
    {
        foreach (var upstream in Upstreams)
        {
            var kind = keyGroupFunction is not null ? PartitionerKind.Hash : Partitioning ?? PartitionerKind.Default;
            var edge = new StreamEdge(upstream, target, kind, keyGroupFunction);
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

    public DataStreamSink<T> Name(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        _node.Name = name;
        return this;
    }

    public DataStreamSink<T> Uid(string uid)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(uid);
        _node.Uid = uid;
        return this;
    }

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
