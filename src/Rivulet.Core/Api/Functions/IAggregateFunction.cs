namespace Rivulet.Core.Api.Functions;

/// <summary>
/// Incremental aggregation with an accumulator (Flink's <c>AggregateFunction</c>): windows keep
/// only the accumulator, never the elements.
/// </summary>
public interface IAggregateFunction<in TIn, TAcc, out TOut>
{
    /// <summary>Creates an empty accumulator, for a window's first element.</summary>
    TAcc CreateAccumulator();

    /// <summary>Adds an element; may update <paramref name="accumulator"/> in place and return it.</summary>
    TAcc Add(TIn value, TAcc accumulator);

    /// <summary>The result for <paramref name="accumulator"/> when the window fires; late firings call it again on the same accumulator, so leave it unchanged.</summary>
    TOut GetResult(TAcc accumulator);

    /// <summary>Combines two accumulators (session windows that merge).</summary>
    TAcc Merge(TAcc a, TAcc b);
}
