using Rivulet.Core.Api.Functions;
using Rivulet.Core.Runtime.IO;
using Rivulet.Core.State;

namespace Rivulet.Core.Runtime.Operators;

/// <summary>The lifecycle every operator shares, driven by its subtask's loop.</summary>
internal abstract class StreamOperator
{
    public OperatorContext Context { get; set; } = null!;

    /// <summary>The user's function, whose optional interfaces (rich, checkpointed, listener) the operator honours.</summary>
    protected abstract object? UserFunction { get; }

    public virtual void InitializeState()
    {
        if (UserFunction is ICheckpointedFunction checkpointed)
        {
            checkpointed.InitializeState(new InitializationContext(Context));
        }
    }

    public virtual void Open()
    {
        if (UserFunction is IRichFunction rich)
        {
            rich.Open(Context);
        }
    }

    public virtual void SnapshotState(long checkpointId, long timestampMs)
    {
        if (UserFunction is ICheckpointedFunction checkpointed)
        {
            checkpointed.SnapshotState(new SnapshotContext(checkpointId, timestampMs));
        }
    }

    public virtual void NotifyCheckpointComplete(long checkpointId)
    {
        if (UserFunction is ICheckpointListener listener)
        {
            listener.NotifyCheckpointComplete(checkpointId);
        }
    }

    public virtual void NotifyCheckpointAborted(long checkpointId)
    {
        if (UserFunction is ICheckpointListener listener)
        {
            listener.NotifyCheckpointAborted(checkpointId);
        }
    }

    public abstract void ProcessWatermark(long watermark);

    public abstract void ProcessIdleness(bool idle);

    public virtual void EndInput()
    {
        if (UserFunction is IBoundedInput bounded)
        {
            bounded.EndInput();
        }
    }

    public virtual void Close()
    {
        if (UserFunction is IRichFunction rich)
        {
            rich.Close();
        }
    }

    /// <summary>Called on failure or cancellation instead of <see cref="Close"/>: release resources, commit nothing.</summary>
    public virtual void Dispose()
    {
        switch (UserFunction)
        {
            case IDisposable disposable:
                disposable.Dispose();
                break;
            case IRichFunction rich:
                rich.Close();
                break;
        }
    }

    private sealed record SnapshotContext(long CheckpointId, long CheckpointTimestamp) : IFunctionSnapshotContext;

    private sealed class InitializationContext(OperatorContext context) : IFunctionInitializationContext
    {
        public bool IsRestored => context.RestoredCheckpointId.HasValue;

        public long? RestoredCheckpointId => context.RestoredCheckpointId;

        public IOperatorStateStore OperatorStateStore => context.OperatorState;

        public IKeyedStateStore? KeyedStateStore => context.KeyedBackend as IKeyedStateStore;

        public IRuntimeContext RuntimeContext => context;
    }
}

/// <summary>An operator fed by one input: it receives records of <typeparamref name="TIn"/>.</summary>
internal interface IInput<in TIn>
{
    void ProcessElement(TIn value, long timestamp);
}

/// <summary>A one-input operator emitting <typeparamref name="TOut"/>; passes watermarks on unchanged.</summary>
internal abstract class OneInputOperator<TIn, TOut>(IOutput<TOut> output) : StreamOperator, IInput<TIn>
{
    protected IOutput<TOut> Output { get; } = output;

    public abstract void ProcessElement(TIn value, long timestamp);

    public override void ProcessWatermark(long watermark) => Output.EmitWatermark(watermark);

    public override void ProcessIdleness(bool idle) => Output.EmitIdleness(idle);
}

/// <summary>Adapts an output to the collector functions emit into, stamping the input's timestamp.</summary>
internal sealed class TimestampedCollector<T>(IOutput<T> output) : ICollector<T>
{
    public long Timestamp { get; set; } = RecordBatch<T>.NoTimestamp;

    public void Collect(T value) => output.Collect(value, Timestamp);
}
