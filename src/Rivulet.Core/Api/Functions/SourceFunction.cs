namespace Rivulet.Core.Api.Functions;

/// <summary>
/// Produces the stream (Flink's <c>SourceFunction</c>). <see cref="RunAsync"/> runs on the source
/// subtask's loop and emits through the context; it returns when the input is exhausted (a
/// bounded source) or when the cancellation token of <c>RunAsync</c> fires.
/// </summary>
public interface ISourceFunction<T>
{
    /// <summary>
    /// Emits the source's elements through <paramref name="context"/>; returns when a bounded input is
    /// exhausted, and soon after <paramref name="cancellationToken"/> fires (it may throw <see cref="OperationCanceledException"/>).
    /// </summary>
    Task RunAsync(ISourceContext<T> context, CancellationToken cancellationToken);
}

/// <summary>
/// How a source emits. Checkpoints, completion notifications and timers run inside
/// <see cref="Collect"/> and <see cref="CollectWithTimestamp"/> (before the element goes out) and
/// inside <see cref="YieldToRuntime"/> — never concurrently with the source's own code, and never
/// inside <see cref="EmitWatermark"/> or <see cref="MarkAsTemporarilyIdle"/>. So a source updates
/// its position right after Collect returns, without any lock, and every checkpoint sees a
/// position that matches the elements emitted before its barrier.
/// </summary>
public interface ISourceContext<in T>
{
    /// <summary>Emits <paramref name="element"/> without an event timestamp.</summary>
    void Collect(T element);

    /// <summary>Emits <paramref name="element"/> with the event timestamp <paramref name="timestampMs"/>.</summary>
    void CollectWithTimestamp(T element, long timestampMs);

    /// <summary>Emits a watermark: no element with a smaller timestamp follows.</summary>
    void EmitWatermark(long watermarkMs);

    /// <summary>This source emits nothing for now; downstream should not wait for its watermark.</summary>
    void MarkAsTemporarilyIdle();

    /// <summary>
    /// Lets the runtime do pending work (a checkpoint, a notification, flushing buffered records)
    /// while the source has nothing to emit. Call it whenever the source waits (for example
    /// after a poll that returned nothing).
    /// </summary>
    void YieldToRuntime();
}

/// <summary>Consumes the stream (Flink's <c>SinkFunction</c>).</summary>
public interface ISinkFunction<in T>
{
    /// <summary>Writes <paramref name="value"/>; called for every element on the sink subtask's own loop. An exception fails the job, which then restarts as its restart strategy says.</summary>
    void Invoke(T value, ISinkContext context);
}

/// <summary>Facts about the element a sink receives.</summary>
public interface ISinkContext
{
    /// <summary>The element's timestamp, if it has one.</summary>
    long? Timestamp { get; }

    /// <summary>Processing time in Unix ms: the job's clock (<see cref="StreamExecutionEnvironment.SetTimeProvider"/>, the system clock by default).</summary>
    long CurrentProcessingTime { get; }
}
