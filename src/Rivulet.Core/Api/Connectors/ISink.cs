using Rivulet.Core.Api.Functions;

namespace Rivulet.Core.Api.Connectors;

/// <summary>
/// A sink built once and attached with <see cref="DataStream{T}.SinkTo"/> (Flink's <c>Sink</c>, as in
/// <c>stream.sinkTo(sink)</c>): an immutable description from which the runtime creates the
/// parallel sink function.
/// </summary>
/// <typeparam name="T">The type of the elements the sink writes.</typeparam>
public interface ISink<in T>
{
    /// <summary>Creates the sink function that writes the stream.</summary>
    ISinkFunction<T> CreateSinkFunction();
}
