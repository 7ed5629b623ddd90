using Rivulet.Connectors.Kafka.Sink.Transactions;

namespace Rivulet.Connectors.Kafka.Sink.Writer;

/// <summary>One sink subtask's writing, driven by the checkpoint lifecycle.</summary>
internal interface IKafkaSinkWriter<in T> : IDisposable
{
    void Write(T element, long? timestampMs);

    /// <summary>At the checkpoint barrier: make everything written so far durable (flush or pre-commit) and return what the checkpoint must store.</summary>
    IReadOnlyList<PendingTransaction> SnapshotState(long checkpointId);

    /// <summary>The checkpoint is complete: make its writes visible.</summary>
    void NotifyCheckpointComplete(long checkpointId);

    /// <summary>The input ended and a final checkpoint follows: make everything written durable; its completion makes it visible.</summary>
    void FlushAtEndOfInput();

    /// <summary>The input ended and no checkpoint follows (checkpointing is off): make everything written visible now.</summary>
    void Finish();
}
