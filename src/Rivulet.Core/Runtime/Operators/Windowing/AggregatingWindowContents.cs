using Rivulet.Core.Api.Functions;
using Rivulet.Core.State.Serialization;

namespace Rivulet.Core.Runtime.Operators.Windowing;

/// <summary>Keeps an aggregate function's accumulator per window.</summary>
internal sealed class AggregatingWindowContents<TIn, TAcc, TOut>(IAggregateFunction<TIn, TAcc, TOut> aggregate) : WindowContents<TIn, TAcc>
{
    public IAggregateFunction<TIn, TAcc, TOut> Aggregate => aggregate;

    public override object UserFunction => aggregate;

    public override TAcc Add(TAcc contents, bool exists, TIn value, long timestamp) => aggregate.Add(value, exists ? contents : aggregate.CreateAccumulator());

    public override TAcc Merge(TAcc a, TAcc b) => aggregate.Merge(a, b);

    public override ITypeSerializer<TAcc> CreateSerializer(string owner) => TypeSerializers.For<TAcc>(owner);
}
