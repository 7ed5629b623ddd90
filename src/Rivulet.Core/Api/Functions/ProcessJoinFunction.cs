namespace Rivulet.Core.Api.Functions;

/// <summary>
/// Called for every pair an interval join matched (Flink's <c>ProcessJoinFunction</c>): a left and a
/// right element of the same key whose timestamps lie within the join's bounds.
/// </summary>
public abstract class ProcessJoinFunction<TLeft, TRight, TOut>
{
    /// <summary>Emits zero or more results for the pair; they carry the larger of the two timestamps.</summary>
    public abstract void ProcessElement(TLeft left, TRight right, Context context, ICollector<TOut> output);

    /// <summary>What the join function knows about the pair at hand; valid only during the call.</summary>
    public abstract class Context
    {
        /// <summary>The left element's timestamp.</summary>
        public abstract long LeftTimestamp { get; }

        /// <summary>The right element's timestamp.</summary>
        public abstract long RightTimestamp { get; }

        /// <summary>The results' timestamp: the larger of the two.</summary>
        public abstract long Timestamp { get; }

        /// <summary>Emits to a side output (read with <see cref="DataStream{T}.GetSideOutput{TSide}"/>), with the pair's timestamp.</summary>
        public abstract void Output<TSide>(OutputTag<TSide> tag, TSide value);
    }
}
