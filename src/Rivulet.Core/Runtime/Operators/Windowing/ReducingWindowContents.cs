using Rivulet.Core.Api.Functions;
using Rivulet.Core.State.Serialization;

namespace Rivulet.Core.Runtime.Operators.Windowing;

/// <summary>Keeps one value per window, reduced as elements arrive.</summary>
internal sealed class ReducingWindowContents<T>(IReduceFunction<T> reduce) : WindowContents<T, T>
{
    public override object UserFunction => reduce;

    public override T Add(T contents, bool exists, T value, long timestamp) => exists ? reduce.Reduce(contents, value) : value;

    public override T Merge(T a, T b) => reduce.Reduce(a, b);

    public override ITypeSerializer<T> CreateSerializer(string owner) => TypeSerializers.For<T>(owner);
}
