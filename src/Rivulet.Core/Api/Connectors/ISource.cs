using Rivulet.Core.Api.Functions;
using Rivulet.Core.Time;

namespace Rivulet.Core.Api.Connectors;

/// <summary>
/// A source built once and added with <see cref="StreamExecutionEnvironment.FromSource{T}"/>
/// (Flink's <c>Source</c>, as in <c>env.fromSource(source, watermarkStrategy, name)</c>): an
/// immutable description from which the runtime creates the parallel source function.
/// </summary>
/// <typeparam name="T">The type of the elements the source emits.</typeparam>
public interface ISource<T>
{
    /// <summary>Whether the source ends by itself (bounded) or runs until the job is cancelled.</summary>
    bool IsBounded { get; }

    /// <summary>
    /// Creates the source function that reads the source. The source applies
    /// <paramref name="watermarkStrategy"/> itself, where it can per split (per Kafka partition).
    /// </summary>
    /// <param name="watermarkStrategy">How elements get their timestamps and the stream its watermarks.</param>
    ISourceFunction<T> CreateSourceFunction(WatermarkStrategy<T> watermarkStrategy);
}
