using Microsoft.Extensions.Logging;
using Rivulet.Core.Api.Functions;
using Rivulet.Core.Runtime.IO;
using Rivulet.Core.Runtime.Timers;
using Rivulet.Core.State;
using Rivulet.Core.State.Serialization;

namespace Rivulet.Core.Runtime.Operators;

/// <summary>
/// An interval join of two keyed streams in event time: each side's elements are buffered per key
/// and timestamp (keyed state, so checkpointed and moved by key group); a new element is matched
/// against the other side's buffer, a left element at t with right elements in [t + lower, t + upper].
/// Invariant: an element stays buffered exactly as long as a partner can still arrive — left ones
/// until the watermark passes t + upper, right ones until it passes t - lower — then a cleanup timer
/// drops it. Elements behind the watermark are late: dropped and counted.
/// </summary>
internal sealed class IntervalJoinOperator<TKey, TLeft, TRight, TOut>(
    ProcessJoinFunction<TLeft, TRight, TOut> function, long lower, long upper, Func<TLeft, TKey> leftKey, Func<TRight, TKey> rightKey, IOutput<TOut> output)
    : TwoInputOperator<TLeft, TRight, TOut>(new InputKeySelectors<TKey, TLeft, TRight>(leftKey, rightKey), output), ITimerTarget<TKey, bool>
    where TKey : notnull
{
    private const bool Left = true;
    private readonly TimestampedCollector<TOut> _collector = new(output);
    private JoinContext? _context;
    private HeapKeyedStateBackend<TKey>? _backend;
    private IMapState<long, List<TLeft>>? _leftBuffer;
    private IMapState<long, List<TRight>>? _rightBuffer;
    private InternalTimerService<TKey, bool>? _cleanup;
    private LateElementDrops? _lateDrops;

    protected override object UserFunction => function;

    private HeapKeyedStateBackend<TKey> Backend => _backend ??= (HeapKeyedStateBackend<TKey>)Context.KeyedBackend!;

    public override void Open()
    {
        var owner = $"Operator '{Context.OperatorName}'";
        _leftBuffer = Backend.GetMapState(new MapStateDescriptor<long, List<TLeft>>("interval-join-left", new Int64Serializer(), new ListSerializer<TLeft>(TypeSerializers.For<TLeft>(owner))));
        _rightBuffer = Backend.GetMapState(new MapStateDescriptor<long, List<TRight>>("interval-join-right", new Int64Serializer(), new ListSerializer<TRight>(TypeSerializers.For<TRight>(owner))));
        _cleanup = new InternalTimerService<TKey, bool>("interval-join-cleanup", Backend, new BooleanSerializer(), Context.ProcessingTime, this);
        _context = new JoinContext(this);
        _lateDrops = new LateElementDrops(Context, Context.LoggerFactory.CreateLogger<IntervalJoinOperator<TKey, TLeft, TRight, TOut>>(), string.Empty);
        base.Open();
    }

    public void OnEventTime(TKey key, bool side, long time)
    {
        // The timer fires one past the last watermark at which a partner could still arrive.
        if (side == Left)
        {
            _leftBuffer!.Remove(time - Math.Max(upper, 0) - 1);
        }
        else
        {
            _rightBuffer!.Remove(time + Math.Min(lower, 0) - 1);
        }
    }

    public void OnProcessingTime(TKey key, bool side, long time)
    {
    }

    protected override void OnWatermark(long watermark) => _cleanup!.AdvanceWatermark(watermark);

    protected override void OnElement1(TLeft value, long timestamp)
    {
        if (!Admit(timestamp))
        {
            return;
        }

        Buffer(_leftBuffer!, timestamp, value);
        foreach (var (rightTimestamp, rights) in _rightBuffer!.Entries())
        {
            if (rightTimestamp >= timestamp + lower && rightTimestamp <= timestamp + upper)
            {
                foreach (var right in rights)
                {
                    Emit(value, timestamp, right, rightTimestamp);
                }
            }
        }

        _cleanup!.RegisterEventTimeTimer(Left, timestamp + Math.Max(upper, 0) + 1);
    }

    protected override void OnElement2(TRight value, long timestamp)
    {
        if (!Admit(timestamp))
        {
            return;
        }

        Buffer(_rightBuffer!, timestamp, value);
        foreach (var (leftTimestamp, lefts) in _leftBuffer!.Entries())
        {
            if (timestamp >= leftTimestamp + lower && timestamp <= leftTimestamp + upper)
            {
                foreach (var left in lefts)
                {
                    Emit(left, leftTimestamp, value, timestamp);
                }
            }
        }

        _cleanup!.RegisterEventTimeTimer(!Left, timestamp - Math.Min(lower, 0) + 1);
    }

    private static void Buffer<T>(IMapState<long, List<T>> buffer, long timestamp, T value)
    {
        if (!buffer.TryGet(timestamp, out var list))
        {
            list = [];
        }

        list.Add(value);
        buffer.Put(timestamp, list);
    }

    /// <summary>Whether an element can join: it has a timestamp (else the job fails, naming the operator) and is not behind the watermark.</summary>
    private bool Admit(long timestamp)
    {
        if (timestamp == RecordBatch<TOut>.NoTimestamp)
        {
            throw new InvalidOperationException(
                $"Operator '{Context.OperatorName}': an interval join runs in event time, but an element without a timestamp arrived. " +
                "Assign timestamps and watermarks to both inputs (AssignTimestampsAndWatermarks, or a source that sets them).");
        }

        if (timestamp >= CurrentWatermark)
        {
            return true;
        }

        _lateDrops!.Dropped(timestamp, CurrentWatermark);
        return false;
    }

    private void Emit(TLeft left, long leftTimestamp, TRight right, long rightTimestamp)
    {
        var context = _context!;
        context.LeftAt = leftTimestamp;
        context.RightAt = rightTimestamp;
        _collector.Timestamp = context.Timestamp;
        function.ProcessElement(left, right, context, _collector);
    }

    private sealed class JoinContext(IntervalJoinOperator<TKey, TLeft, TRight, TOut> owner) : ProcessJoinFunction<TLeft, TRight, TOut>.Context
    {
        public override long LeftTimestamp => LeftAt;

        public override long RightTimestamp => RightAt;

        public override long Timestamp => Math.Max(LeftAt, RightAt);

        public long LeftAt { get; set; }

        public long RightAt { get; set; }

        public override void Output<TSide>(Api.OutputTag<TSide> tag, TSide value) => owner.Context.SideOutput(tag)?.Collect(value, Timestamp);
    }
}
