using Rivulet.Core.Api.Functions;
using Rivulet.Core.Runtime;
using Rivulet.Core.Runtime.Operators;

namespace Rivulet.Core.Api;

/// <summary>
/// The first step of an interval join of two keyed streams (Flink's <c>KeyedStream.IntervalJoin</c>),
/// made by <see cref="KeyedStream{TKey, T}.IntervalJoin{T2}"/>: say the bounds with <see cref="Between"/>.
/// </summary>
/// <typeparam name="TKey">The key both streams are partitioned by.</typeparam>
/// <typeparam name="TLeft">The left (this) stream's elements.</typeparam>
/// <typeparam name="TRight">The right (other) stream's elements.</typeparam>
public sealed class IntervalJoin<TKey, TLeft, TRight>
    where TKey : notnull
{
    private readonly KeyedStream<TKey, TLeft> _left;
    private readonly KeyedStream<TKey, TRight> _right;

    internal IntervalJoin(KeyedStream<TKey, TLeft> left, KeyedStream<TKey, TRight> right)
    {
        _left = left;
        _right = right;
    }

    /// <summary>
    /// Joins each left element at time t with the right elements of its key at times within
    /// [t + <paramref name="lowerBound"/>, t + <paramref name="upperBound"/>] (both inclusive unless made
    /// exclusive). Event time: both streams need timestamps and watermarks.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="lowerBound"/> is greater than <paramref name="upperBound"/>.</exception>
    public IntervalJoined<TKey, TLeft, TRight> Between(TimeSpan lowerBound, TimeSpan upperBound) =>
        new(_left, _right, (long)lowerBound.TotalMilliseconds, (long)upperBound.TotalMilliseconds, lowerExclusive: false, upperExclusive: false);
}

/// <summary>An interval join with its bounds (Flink's <c>IntervalJoined</c>): process the matched pairs with a <see cref="ProcessJoinFunction{TLeft, TRight, TOut}"/>.</summary>
/// <typeparam name="TKey">The key both streams are partitioned by.</typeparam>
/// <typeparam name="TLeft">The left stream's elements.</typeparam>
/// <typeparam name="TRight">The right stream's elements.</typeparam>
public sealed class IntervalJoined<TKey, TLeft, TRight>
    where TKey : notnull
{
    private readonly KeyedStream<TKey, TLeft> _left;
    private readonly KeyedStream<TKey, TRight> _right;
    private readonly long _lower;
    private readonly long _upper;
    private readonly bool _lowerExclusive;
    private readonly bool _upperExclusive;

    internal IntervalJoined(KeyedStream<TKey, TLeft> left, KeyedStream<TKey, TRight> right, long lower, long upper, bool lowerExclusive, bool upperExclusive)
    {
        var effectiveLower = lowerExclusive ? lower + 1 : lower;
        var effectiveUpper = upperExclusive ? upper - 1 : upper;
        if (effectiveLower > effectiveUpper)
        {
            throw new ArgumentException(
                $"IntervalJoin: the lower bound ({lower} ms{(lowerExclusive ? ", exclusive" : string.Empty)}) must not be above the upper bound ({upper} ms{(upperExclusive ? ", exclusive" : string.Empty)}).");
        }

        _left = left;
        _right = right;
        _lower = lower;
        _upper = upper;
        _lowerExclusive = lowerExclusive;
        _upperExclusive = upperExclusive;
    }

    /// <summary>Right elements exactly at t + lower bound do not match.</summary>
    /// <exception cref="ArgumentException">The bounds then leave no interval.</exception>
    public IntervalJoined<TKey, TLeft, TRight> LowerBoundExclusive() => new(_left, _right, _lower, _upper, lowerExclusive: true, _upperExclusive);

    /// <summary>Right elements exactly at t + upper bound do not match.</summary>
    /// <exception cref="ArgumentException">The bounds then leave no interval.</exception>
    public IntervalJoined<TKey, TLeft, TRight> UpperBoundExclusive() => new(_left, _right, _lower, _upper, _lowerExclusive, upperExclusive: true);

    /// <summary>Calls <paramref name="function"/> for every matched pair; buffered elements are dropped once the watermark says no partner can come.</summary>
    /// <param name="function">The function; each parallel subtask runs its own (shallow) copy.</param>
    public DataStream<TOut> Process<TOut>(ProcessJoinFunction<TLeft, TRight, TOut> function)
    {
        ArgumentNullException.ThrowIfNull(function);
        var lower = _lowerExclusive ? _lower + 1 : _lower;
        var upper = _upperExclusive ? _upper - 1 : _upper;
        var key1 = _left.KeySelector;
        var key2 = _right.KeySelector;
        return _left.Connect(_right).Keyed<TOut>(
            "Interval Join", output => new IntervalJoinOperator<TKey, TLeft, TRight, TOut>(FunctionCloner.Clone(function), lower, upper, key1, key2, output));
    }
}
