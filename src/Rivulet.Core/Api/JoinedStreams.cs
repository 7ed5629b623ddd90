using Rivulet.Core.Api.Functions;
using Rivulet.Core.Time.Windows;

namespace Rivulet.Core.Api;

/// <summary>
/// A window join of two streams being defined (Flink's <c>JoinedStreams</c>), made by
/// <see cref="DataStream{T}.Join{T2}"/>: <c>Where(key1).EqualTo(key2).Window(assigner).Apply(join)</c>
/// pairs every element of the first stream with every element of the second that has the same key
/// and falls into the same window (an inner join).
/// </summary>
public sealed class JoinedStreams<T1, T2>
{
    private readonly DataStream<T1> _first;
    private readonly DataStream<T2> _second;

    internal JoinedStreams(DataStream<T1> first, DataStream<T2> second)
    {
        _first = first;
        _second = second;
    }

    /// <summary>The first stream's key.</summary>
    public JoinedStreamsWhere<TKey, T1, T2> Where<TKey>(Func<T1, TKey> keySelector)
        where TKey : notnull =>
        new(new WindowedCoGroupSpec<TKey, T1, T2>(_first, _second, keySelector ?? throw new ArgumentNullException(nameof(keySelector))));
}

/// <summary>A window join with the first stream's key (Flink's <c>JoinedStreams.Where</c>): say the second's with <see cref="EqualTo"/>.</summary>
public sealed class JoinedStreamsWhere<TKey, T1, T2>
    where TKey : notnull
{
    private readonly WindowedCoGroupSpec<TKey, T1, T2> _spec;

    internal JoinedStreamsWhere(WindowedCoGroupSpec<TKey, T1, T2> spec) => _spec = spec;

    /// <summary>The second stream's key; elements of both streams join when their keys are equal.</summary>
    public JoinedStreamsEqualTo<TKey, T1, T2> EqualTo(Func<T2, TKey> keySelector) =>
        new(_spec with { Key2 = keySelector ?? throw new ArgumentNullException(nameof(keySelector)) });
}

/// <summary>A window join with both keys (Flink's <c>JoinedStreams.EqualTo</c>): say the windows with <see cref="Window"/>.</summary>
public sealed class JoinedStreamsEqualTo<TKey, T1, T2>
    where TKey : notnull
{
    private readonly WindowedCoGroupSpec<TKey, T1, T2> _spec;

    internal JoinedStreamsEqualTo(WindowedCoGroupSpec<TKey, T1, T2> spec) => _spec = spec;

    /// <summary>The windows both streams are cut into, e.g. <c>TumblingEventTimeWindows.Of(TimeSpan.FromMinutes(1))</c>.</summary>
    public JoinedStreamsWithWindow<TKey, T1, T2> Window(WindowAssigner assigner) =>
        new(_spec with { Assigner = assigner ?? throw new ArgumentNullException(nameof(assigner)) });
}

/// <summary>A fully defined window join (Flink's <c>JoinedStreams.WithWindow</c>): give the join function.</summary>
public sealed class JoinedStreamsWithWindow<TKey, T1, T2>
    where TKey : notnull
{
    private readonly WindowedCoGroupSpec<TKey, T1, T2> _spec;

    internal JoinedStreamsWithWindow(WindowedCoGroupSpec<TKey, T1, T2> spec) => _spec = spec;

    /// <summary>Keeps windows this long after the watermark passed their end, firing again for late elements (default zero).</summary>
    public JoinedStreamsWithWindow<TKey, T1, T2> AllowedLateness(TimeSpan lateness)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(lateness, TimeSpan.Zero);
        return new(_spec with { AllowedLateness = lateness });
    }

    /// <summary>Emits <paramref name="join"/>'s result for every pair of the same key and window.</summary>
    public DataStream<TOut> Apply<TOut>(Func<T1, T2, TOut> join) => Apply(new LambdaJoin<T1, T2, TOut>(join));

    /// <summary>Emits <paramref name="function"/>'s result for every pair of the same key and window (Flink's <c>apply(JoinFunction)</c>).</summary>
    /// <param name="function">The function; each parallel subtask runs its own (shallow) copy.</param>
    public DataStream<TOut> Apply<TOut>(IJoinFunction<T1, T2, TOut> function)
    {
        ArgumentNullException.ThrowIfNull(function);
        return _spec.Build("Window Join", new JoinAsCoGroup<T1, T2, TOut>(function));
    }
}
