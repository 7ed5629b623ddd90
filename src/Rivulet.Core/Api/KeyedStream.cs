using Rivulet.Core.Api.Functions;
using Rivulet.Core.Runtime;
using Rivulet.Core.Runtime.Operators;
using Rivulet.Core.State;
using Rivulet.Core.State.Serialization;
using Rivulet.Core.Time.Windows;
using Rivulet.Core.Time.Windows.Evictors;
using Rivulet.Core.Time.Windows.Triggers;

namespace Rivulet.Core.Api;

/// <summary>A stream partitioned by key (Flink's <c>KeyedStream</c>): operators on it get keyed state.</summary>
public sealed class KeyedStream<TKey, T>
    where TKey : notnull
{
    private readonly DataStream<T> _input;
    private readonly Func<T, TKey> _keySelector;
    private readonly ITypeSerializer<TKey> _keySerializer;

    internal KeyedStream(DataStream<T> input, Func<T, TKey> keySelector, ITypeSerializer<TKey>? keySerializer = null)
    {
        _input = input;
        _keySelector = keySelector;
        _keySerializer = keySerializer ?? TypeSerializers.For<TKey>("KeyBy");
    }

    /// <summary>Runs <paramref name="function"/> on every element with the element's key current, giving it keyed state and timers (Flink's <c>KeyedStream.process</c>).</summary>
    /// <param name="function">The function; each parallel subtask runs its own (shallow) copy.</param>
    public DataStream<TOut> Process<TOut>(KeyedProcessFunction<TKey, T, TOut> function)
    {
        ArgumentNullException.ThrowIfNull(function);
        return Keyed<TOut>("KeyedProcess", output => new KeyedProcessOperator<TKey, T, TOut>(FunctionCloner.Clone(function), _keySelector, output));
    }

    /// <summary>
    /// Connects this keyed stream with <paramref name="other"/>, keyed by the same key type, so that
    /// elements of both with the same key reach the same subtask and share its keyed state and timers
    /// (Flink's <c>keyedStream.connect(otherKeyedStream)</c>).
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="other"/> belongs to another environment.</exception>
    public KeyedConnectedStreams<TKey, T, T2> Connect<T2>(KeyedStream<TKey, T2> other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return new KeyedConnectedStreams<TKey, T, T2>(this, other);
    }

    /// <summary>
    /// Connects this keyed stream with a broadcast stream (Flink's <c>keyedStream.connect(broadcastStream)</c>):
    /// process both with a <see cref="KeyedBroadcastProcessFunction{TKey, TIn1, TIn2, TOut}"/>.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="broadcast"/> belongs to another environment.</exception>
    public KeyedBroadcastConnectedStream<TKey, T, T2> Connect<T2>(BroadcastStream<T2> broadcast)
    {
        ArgumentNullException.ThrowIfNull(broadcast);
        return new KeyedBroadcastConnectedStream<TKey, T, T2>(this, broadcast);
    }

    /// <summary>
    /// Starts an interval join with <paramref name="other"/> (Flink's <c>intervalJoin</c>): elements of both
    /// streams with the same key whose timestamps are close enough, as <see cref="IntervalJoin{TKey, TLeft, TRight}.Between"/> says.
    /// </summary>
    public IntervalJoin<TKey, T, T2> IntervalJoin<T2>(KeyedStream<TKey, T2> other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return new IntervalJoin<TKey, T, T2>(this, other);
    }

    /// <summary>Groups each key's elements into windows (Flink's <c>window(assigner)</c>), e.g. <c>TumblingEventTimeWindows.Of(TimeSpan.FromSeconds(1))</c>.</summary>
    public WindowedStream<TKey, T> Window(WindowAssigner assigner) =>
        new(this, _keySelector, assigner ?? throw new ArgumentNullException(nameof(assigner)));

    /// <summary>
    /// Tumbling count windows (Flink's <c>countWindow(size)</c>): every <paramref name="size"/>
    /// elements of a key form a window, which fires and is emptied. A key's last, incomplete window
    /// gives no result when a bounded input ends (as in Flink).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="size"/> is less than 1.</exception>
    public WindowedStream<TKey, T> CountWindow(long size) =>
        Window(GlobalWindows.Create()).Trigger(PurgingTrigger.Of(CountTrigger.Of(size)));

    /// <summary>
    /// Sliding count windows (Flink's <c>countWindow(size, slide)</c>): every <paramref name="slide"/>
    /// elements of a key, a window over its last <paramref name="size"/> elements fires.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="size"/> or <paramref name="slide"/> is less than 1.</exception>
    public WindowedStream<TKey, T> CountWindow(long size, long slide)
    {
        var evictor = CountEvictor.Of(size);
        return Window(GlobalWindows.Create()).Evictor(evictor).Trigger(CountTrigger.Of(slide));
    }

    /// <summary>Rolling reduce: emits the key's reduced value after every element.</summary>
    public DataStream<T> Reduce(Func<T, T, T> reduce) => Reduce(new LambdaReduce<T>(reduce));

    /// <summary>Rolling reduce: emits the key's value reduced with <paramref name="function"/> after every element (Flink's <c>KeyedStream.reduce</c>).</summary>
    /// <param name="function">The function; each parallel subtask runs its own (shallow) copy.</param>
    public DataStream<T> Reduce(IReduceFunction<T> function)
    {
        ArgumentNullException.ThrowIfNull(function);
        return Keyed<T>("Keyed Reduce", output => new ReduceOperator<TKey, T>(FunctionCloner.Clone(function), _keySelector, output));
    }

    /// <summary>Rolling sum of a field per key: emits (key, sum so far) after every element.</summary>
    public DataStream<KeyValuePair<TKey, long>> Sum(Func<T, long> field) => Aggregate(field, (a, b) => a + b, "Sum");

    /// <summary>Rolling minimum of a field per key.</summary>
    public DataStream<KeyValuePair<TKey, long>> Min(Func<T, long> field) => Aggregate(field, Math.Min, "Min");

    /// <summary>Rolling maximum of a field per key.</summary>
    public DataStream<KeyValuePair<TKey, long>> Max(Func<T, long> field) => Aggregate(field, Math.Max, "Max");

    private DataStream<KeyValuePair<TKey, long>> Aggregate(Func<T, long> field, Func<long, long, long> combine, string name)
    {
        var selector = _keySelector;
        return _input
            .KeyBy(selector)
            .Process(new AggregatingFunction(field, combine))
            .Name(name);
    }

    internal DataStream<T> Input => _input;

    internal Func<T, TKey> KeySelector => _keySelector;

    internal ITypeSerializer<TKey> KeySerializer => _keySerializer;

    internal DataStream<TOut> Keyed<TOut>(string name, Func<IOutput<TOut>, OneInputOperator<T, TOut>> factory) =>
        _input.Then(name, factory, KeyedBackend(_keySerializer), KeyGroups(_keySerializer, _keySelector));

    /// <summary>How a keyed operator builds its state backend for a subtask's key groups.</summary>
    internal static Func<string, int, KeyGroupRange, IKeyedStateBackend> KeyedBackend(ITypeSerializer<TKey> keySerializer) =>
        (owner, maxParallelism, range) => new HeapKeyedStateBackend<TKey>(owner, keySerializer, maxParallelism, range);

    /// <summary>Given the max parallelism, a <c>Func&lt;TElement, int&gt;</c> from element to key group (a hash edge's routing).</summary>
    internal static Func<int, object> KeyGroups<TElement>(ITypeSerializer<TKey> keySerializer, Func<TElement, TKey> selector) =>
        maxParallelism =>
        {
            var hasher = new KeyGroupHasher<TKey>(keySerializer, maxParallelism);
            return new Func<TElement, int>(value => hasher.KeyGroupOf(selector(value)));
        };

    private sealed class AggregatingFunction(Func<T, long> field, Func<long, long, long> combine) : KeyedProcessFunction<TKey, T, KeyValuePair<TKey, long>>, IRichFunction
    {
        private IValueState<long>? _value;
        private IValueState<bool>? _present;

        public void Open(IRuntimeContext context)
        {
            _value = context.GetState(new ValueStateDescriptor<long>("_aggregate"));
            _present = context.GetState(new ValueStateDescriptor<bool>("_aggregate_present"));
        }

        public void Close()
        {
        }

        public override void ProcessElement(T value, Context context, ICollector<KeyValuePair<TKey, long>> output)
        {
            var next = _present!.Value ? combine(_value!.Value, field(value)) : field(value);
            _value!.Value = next;
            _present.Value = true;
            output.Collect(new KeyValuePair<TKey, long>(context.CurrentKey, next));
        }
    }
}
