using Rivulet.Core.Api.Functions;
using Rivulet.Core.Time.Windows;

namespace Rivulet.Core.Api;

/// <summary>
/// A window coGroup of two streams being defined (Flink's <c>CoGroupedStreams</c>), made by
/// <see cref="DataStream{T}.CoGroup{T2}"/>: <c>Where(key1).EqualTo(key2).Window(assigner).Apply(coGroup)</c>
/// hands the function all elements of both streams with the same key in the same window — either side
/// possibly empty, so outer joins can be written with it.
/// </summary>
public sealed class CoGroupedStreams<T1, T2>
{
    private readonly DataStream<T1> _first;
    private readonly DataStream<T2> _second;

    internal CoGroupedStreams(DataStream<T1> first, DataStream<T2> second)
    {
        _first = first;
        _second = second;
    }

    /// <summary>The first stream's key.</summary>
    public CoGroupedStreamsWhere<TKey, T1, T2> Where<TKey>(Func<T1, TKey> keySelector)
        where TKey : notnull =>
        new(new WindowedCoGroupSpec<TKey, T1, T2>(_first, _second, keySelector ?? throw new ArgumentNullException(nameof(keySelector))));
}

/// <summary>A coGroup with the first stream's key (Flink's <c>CoGroupedStreams.Where</c>): say the second's with <see cref="EqualTo"/>.</summary>
public sealed class CoGroupedStreamsWhere<TKey, T1, T2>
    where TKey : notnull
{
    private readonly WindowedCoGroupSpec<TKey, T1, T2> _spec;

    internal CoGroupedStreamsWhere(WindowedCoGroupSpec<TKey, T1, T2> spec) => _spec = spec;

    /// <summary>The second stream's key; elements of both streams meet when their keys are equal.</summary>
    public CoGroupedStreamsEqualTo<TKey, T1, T2> EqualTo(Func<T2, TKey> keySelector) =>
        new(_spec with { Key2 = keySelector ?? throw new ArgumentNullException(nameof(keySelector)) });
}

/// <summary>A coGroup with both keys (Flink's <c>CoGroupedStreams.EqualTo</c>): say the windows with <see cref="Window"/>.</summary>
public sealed class CoGroupedStreamsEqualTo<TKey, T1, T2>
    where TKey : notnull
{
    private readonly WindowedCoGroupSpec<TKey, T1, T2> _spec;

    internal CoGroupedStreamsEqualTo(WindowedCoGroupSpec<TKey, T1, T2> spec) => _spec = spec;

    /// <summary>The windows both streams are cut into.</summary>
    public CoGroupedStreamsWithWindow<TKey, T1, T2> Window(WindowAssigner assigner) =>
        new(_spec with { Assigner = assigner ?? throw new ArgumentNullException(nameof(assigner)) });
}

/// <summary>A fully defined coGroup (Flink's <c>CoGroupedStreams.WithWindow</c>): give the coGroup function.</summary>
public sealed class CoGroupedStreamsWithWindow<TKey, T1, T2>
    where TKey : notnull
{
    private readonly WindowedCoGroupSpec<TKey, T1, T2> _spec;

    internal CoGroupedStreamsWithWindow(WindowedCoGroupSpec<TKey, T1, T2> spec) => _spec = spec;

    /// <summary>Keeps windows this long after the watermark passed their end, firing again for late elements (default zero).</summary>
    public CoGroupedStreamsWithWindow<TKey, T1, T2> AllowedLateness(TimeSpan lateness)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(lateness, TimeSpan.Zero);
        return new(_spec with { AllowedLateness = lateness });
    }

    /// <summary>Calls <paramref name="function"/> once per key and window with both sides' elements (Flink's <c>apply(CoGroupFunction)</c>).</summary>
    /// <param name="function">The function; each parallel subtask runs its own (shallow) copy.</param>
    public DataStream<TOut> Apply<TOut>(ICoGroupFunction<T1, T2, TOut> function)
    {
        ArgumentNullException.ThrowIfNull(function);
        return _spec.Build("Window CoGroup", function);
    }
}
