using Rivulet.Core.Runtime;

namespace Rivulet.Core.Time;

/// <summary>
/// How a stream gets event timestamps and watermarks (Flink's <c>WatermarkStrategy</c>): a
/// watermark generator, a timestamp assigner and an optional idleness timeout. Immutable; each
/// <c>With…</c> returns a new strategy. Use it on a stream
/// (<see cref="Api.DataStream{T}.AssignTimestampsAndWatermarks"/>) or inside a source that tracks
/// watermarks per partition (the Kafka source).
/// </summary>
public sealed class WatermarkStrategy<T>
{
    private readonly Func<IWatermarkGenerator<T>> _generator;
    // A factory, as for generators: a user's assigner may keep state, and each subtask gets its own.
    private readonly Func<ITimestampAssigner<T>> _assigner;

    private WatermarkStrategy(Func<IWatermarkGenerator<T>> generator, Func<ITimestampAssigner<T>> assigner, TimeSpan? idleTimeout)
    {
        _generator = generator;
        _assigner = assigner;
        IdleTimeout = idleTimeout;
    }

    /// <summary>Set by <see cref="WithIdleness"/>.</summary>
    public TimeSpan? IdleTimeout { get; }

    /// <summary>Watermarks trail the highest timestamp seen by <paramref name="maxOutOfOrderness"/>.</summary>
    public static WatermarkStrategy<T> ForBoundedOutOfOrderness(TimeSpan maxOutOfOrderness)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxOutOfOrderness, TimeSpan.Zero, nameof(maxOutOfOrderness));
        return new(() => new BoundedOutOfOrdernessWatermarks<T>(maxOutOfOrderness), () => RecordTimestampAssigner<T>.Instance, null);
    }

    /// <summary>For timestamps that never decrease: the watermark is the highest timestamp seen minus 1 ms.</summary>
    public static WatermarkStrategy<T> ForMonotonousTimestamps() => ForBoundedOutOfOrderness(TimeSpan.Zero);

    /// <summary>
    /// A punctuated strategy: after each element, <paramref name="checkAndGetNextWatermark"/>
    /// (element, its timestamp) returns the watermark to emit, or null for none.
    /// </summary>
    public static WatermarkStrategy<T> ForPunctuated(Func<T, long, long?> checkAndGetNextWatermark)
    {
        ArgumentNullException.ThrowIfNull(checkAndGetNextWatermark);
        return new(() => new PunctuatedWatermarks<T>(checkAndGetNextWatermark), () => RecordTimestampAssigner<T>.Instance, null);
    }

    /// <summary>A custom generator (periodic, punctuated or both); the factory is called once per subtask or partition.</summary>
    public static WatermarkStrategy<T> ForGenerator(Func<IWatermarkGenerator<T>> generatorFactory)
    {
        ArgumentNullException.ThrowIfNull(generatorFactory);
        return new(generatorFactory, () => RecordTimestampAssigner<T>.Instance, null);
    }

    /// <summary>Timestamps only, no watermarks.</summary>
    public static WatermarkStrategy<T> NoWatermarks() => new(() => new NoWatermarks<T>(), () => RecordTimestampAssigner<T>.Instance, null);

    /// <summary>Takes the timestamp from the element; the function also receives the element's current (e.g. Kafka record) timestamp.</summary>
    public WatermarkStrategy<T> WithTimestampAssigner(Func<T, long, long> extractTimestamp)
    {
        ArgumentNullException.ThrowIfNull(extractTimestamp);
        var assigner = new LambdaTimestampAssigner<T>(extractTimestamp);
        return new(_generator, () => assigner, IdleTimeout);
    }

    /// <summary>
    /// A copy of this strategy that takes timestamps from <paramref name="assigner"/> (Flink's
    /// <c>withTimestampAssigner</c>). Each subtask gets its own shallow copy of
    /// <paramref name="assigner"/>, as Flink gives each its own deserialized copy, so an assigner
    /// with fields is never called from two threads.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="assigner"/> is null.</exception>
    public WatermarkStrategy<T> WithTimestampAssigner(ITimestampAssigner<T> assigner)
    {
        ArgumentNullException.ThrowIfNull(assigner);
        return new(_generator, () => FunctionCloner.Clone(assigner), IdleTimeout);
    }

    /// <summary>
    /// Marks an input idle after <paramref name="idleTimeout"/> without elements, so it does not
    /// hold back the watermark (needs periodic watermarks: an auto-watermark interval above zero).
    /// </summary>
    public WatermarkStrategy<T> WithIdleness(TimeSpan idleTimeout)
    {
        if (idleTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(idleTimeout), idleTimeout, "The idle timeout must be positive.");
        }

        return new(_generator, _assigner, idleTimeout);
    }

    /// <summary>
    /// A new watermark generator from the strategy's factory, wrapped to go idle when
    /// <see cref="WithIdleness"/> was set; called once per subtask or source split.
    /// </summary>
    /// <exception cref="InvalidOperationException">The generator factory returned null.</exception>
    public IWatermarkGenerator<T> CreateWatermarkGenerator() => CreateWatermarkGenerator(TimeProvider.System);

    /// <summary>As <see cref="CreateWatermarkGenerator()"/>, with idleness measured on <paramref name="clock"/> (the job's clock).</summary>
    internal IWatermarkGenerator<T> CreateWatermarkGenerator(TimeProvider clock)
    {
        var generator = _generator() ?? throw new InvalidOperationException("The watermark generator factory returned null.");
        return IdleTimeout is { } timeout ? new WatermarksWithIdleness<T>(generator, timeout, clock) : generator;
    }

    /// <summary>
    /// A timestamp assigner for one subtask (by default the one keeping the record
    /// timestamp): a copy of one given with <see cref="WithTimestampAssigner(ITimestampAssigner{T})"/>.
    /// </summary>
    public ITimestampAssigner<T> CreateTimestampAssigner() => _assigner();
}
