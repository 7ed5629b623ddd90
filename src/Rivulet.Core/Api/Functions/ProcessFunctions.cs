namespace Rivulet.Core.Api.Functions;

/// <summary>The most general one-input function on a non-keyed stream.</summary>
public abstract class ProcessFunction<TIn, TOut>
{
    public abstract void ProcessElement(TIn value, ProcessContext context, ICollector<TOut> output);

    /// <summary>What a process function knows about the element at hand.</summary>
    public abstract class ProcessContext
    {
        public abstract long? Timestamp { get; }

        public abstract long CurrentProcessingTime { get; }
    }
}

/// <summary>
/// A function on a keyed stream with access to the key's state (Flink's <c>KeyedProcessFunction</c>).
/// Keyed state obtained from the runtime context in Open always refers to the current element's key.
/// </summary>
public abstract class KeyedProcessFunction<TKey, TIn, TOut>
{
    public abstract void ProcessElement(TIn value, Context context, ICollector<TOut> output);

    /// <summary>What a keyed process function knows about the element at hand.</summary>
    public abstract class Context
    {
        public abstract TKey CurrentKey { get; }

        public abstract long? Timestamp { get; }

        public abstract long CurrentProcessingTime { get; }
    }
}
