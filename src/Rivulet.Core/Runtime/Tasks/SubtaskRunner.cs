using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Rivulet.Core.Checkpointing;
using Rivulet.Core.Graph;
using Rivulet.Core.Runtime.IO;
using Rivulet.Core.Runtime.Operators;

namespace Rivulet.Core.Runtime.Tasks;

/// <summary>
/// One parallel instance of an operator chain, on its own thread: the mailbox loop. Records,
/// barriers, watermarks and mail (checkpoint triggers, completion notifications) are all handled
/// on this one thread, so user code of a subtask never runs concurrently with itself.
/// </summary>
internal sealed class SubtaskRunner : IMailbox, ISubtaskGateway
{
    private static readonly TimeSpan IdleWait = TimeSpan.FromMilliseconds(50);
    private readonly ISubtaskHost _host;
    private readonly IReadOnlyList<StreamOperator> _operators;
    private readonly Action<int, object> _processBatch;
    private readonly SubtaskOutput _output;
    private readonly IReadOnlyList<BatchChannel> _inputs;
    // Per input channel: which input of the head operator it feeds (StreamEdge.InputIndex).
    private readonly int[] _inputIndexes;
    private readonly ConcurrentQueue<Action> _mailbox = new();
    private readonly SubtaskSignal _signal;
    private readonly ProcessingTimeService _processingTime;
    private readonly CancellationToken _cancellation;
    private readonly ILogger _logger;
    private readonly TimeSpan _bufferTimeout;
    private int _flushDue;
    private int _pendingMail;
    private bool _inputEnded;
    private long? _finalCheckpointId;
    private bool _finalCheckpointNotified;

    public SubtaskRunner(
        ISubtaskHost host,
        JobVertex vertex,
        int subtaskIndex,
        IReadOnlyList<StreamOperator> operators,
        Action<int, object> processBatch,
        SubtaskOutput output,
        IReadOnlyList<(BatchChannel Channel, int InputIndex)> inputs,
        SubtaskSignal signal,
        ProcessingTimeService processingTime,
        TimeSpan bufferTimeout,
        CancellationToken cancellation,
        ILogger logger)
    {
        _host = host;
        Vertex = vertex;
        SubtaskIndex = subtaskIndex;
        _operators = operators;
        _processBatch = processBatch;
        _output = output;
        _inputs = [.. inputs.Select(i => i.Channel)];
        _inputIndexes = [.. inputs.Select(i => i.InputIndex)];
        _signal = signal;
        _processingTime = processingTime;
        _cancellation = cancellation;
        _logger = logger;
        _bufferTimeout = bufferTimeout;

        // A zero buffer timeout means flush after every record: the flag then stays set.
        _flushDue = bufferTimeout == TimeSpan.Zero ? 1 : 0;
    }

    public JobVertex Vertex { get; }

    public int SubtaskIndex { get; }

    public bool IsSource => Vertex.Head.IsSource;

    public string Name => $"{Vertex.Name} ({SubtaskIndex + 1}/{Vertex.Parallelism})";

    /// <summary>Queues work for this subtask's thread (thread-safe).</summary>
    public void Post(Action mail)
    {
        _mailbox.Enqueue(mail);
        Interlocked.Increment(ref _pendingMail);
        _signal.Notify();
    }

    public void Run()
    {
        var closed = false;
        try
        {
            // Tail first, so a chained operator is ready before anything is emitted into it.
            for (var i = _operators.Count - 1; i >= 0; i--)
            {
                _operators[i].InitializeState();
                _operators[i].Open();
            }

            if (IsSource)
            {
                RunSource();
                if (!_cancellation.IsCancellationRequested)
                {
                    // A finished source promises nothing older follows: event-time windows and
                    // timers downstream fire (Flink's MAX_WATERMARK at the end of input).
                    _operators[0].ProcessWatermark(long.MaxValue);
                }
            }
            else
            {
                RunInputLoop();
            }

            if (_cancellation.IsCancellationRequested)
            {
                return;
            }

            foreach (var op in _operators)
            {
                op.EndInput();
            }

            _output.Broadcast(EndOfInputEvent.Instance);
            _inputEnded = true;
            _host.InputEnded(this);
            ProcessMail();
            if (_host.TakesFinalCheckpoint)
            {
                AwaitFinalCheckpoint();
            }

            foreach (var op in _operators)
            {
                op.Close();
            }

            closed = true;
            _host.SubtaskFinished(this);
        }
        catch (Exception e) when (_cancellation.IsCancellationRequested && e is OperationCanceledException)
        {
        }
        catch (Exception e)
        {
            _host.Fail(new SubtaskFailedException(Name, e));
        }
        finally
        {
            _processingTime.Dispose();

            // The last subtask to finish completes the attempt, which cancels the token while
            // this thread may still be here: operators closed normally must not be disposed too.
            if (!closed && _cancellation.IsCancellationRequested)
            {
                foreach (var op in _operators)
                {
                    try
                    {
                        op.Dispose();
                    }
                    catch (Exception e)
                    {
                        _logger.LogDebug(e, "Disposing {Subtask} after cancellation failed", Name);
                    }
                }
            }
        }
    }

    /// <inheritdoc />
    public void Yield(TimeSpan wait)
    {
        _cancellation.ThrowIfCancellationRequested();
        _signal.Reset();
        if (Volatile.Read(ref _pendingMail) == 0)
        {
            // Woken by mail or by input arriving; input stays queued until the operator returns.
            _signal.Wait(wait, _cancellation);
        }

        ProcessMail();
        _cancellation.ThrowIfCancellationRequested();
    }

    void ISubtaskGateway.TriggerCheckpoint(long checkpointId, long timestampMs, string directory) =>
        Post(() => PerformCheckpoint(checkpointId, timestampMs, directory));

    void ISubtaskGateway.TriggerFinalCheckpoint(long checkpointId, long timestampMs, string directory) =>
        Post(() => PerformFinalCheckpoint(checkpointId, timestampMs, directory));

    void ISubtaskGateway.NotifyCheckpointComplete(long checkpointId) => Post(() => NotifyCheckpointComplete(checkpointId));

    void ISubtaskGateway.NotifyCheckpointAborted(long checkpointId) => Post(() => NotifyCheckpointAborted(checkpointId));

    /// <summary>Called by a source before each emission: runs due mail (checkpoints) between two elements.</summary>
    public void BeforeSourceEmit()
    {
        if (Volatile.Read(ref _pendingMail) > 0)
        {
            ProcessMail();
        }
    }

    /// <summary>Called by a source after each emission: flushes partial batches on time.</summary>
    public void AfterSourceEmit()
    {
        if (Volatile.Read(ref _flushDue) != 0)
        {
            _flushDue = _bufferTimeout == TimeSpan.Zero ? 1 : 0;
            _output.Flush();
        }
    }

    /// <summary>Called by a source with nothing to emit.</summary>
    public void YieldFromSource()
    {
        _output.Flush();
        ProcessMail();
        _cancellation.ThrowIfCancellationRequested();
    }

    /// <summary>Snapshots the chain for checkpoint <paramref name="checkpointId"/>, forwards the barrier and acknowledges.</summary>
    public void PerformCheckpoint(long checkpointId, long timestampMs, string directory)
    {
        if (_inputEnded)
        {
            // A trigger that reached a source after its input ended: that checkpoint was aborted
            // when the source finished; only the final checkpoint comes after the end.
            return;
        }

        SnapshotAndAcknowledge(checkpointId, timestampMs, directory, forwardBarrier: true);
    }

    private void SnapshotAndAcknowledge(long checkpointId, long timestampMs, string directory, bool forwardBarrier)
    {
        var files = new List<(string Uid, StateFile File)>(_operators.Count);
        Exception? storageFailure = null;
        foreach (var op in _operators)
        {
            op.SnapshotState(checkpointId, timestampMs);
            var bytes = OperatorSnapshotFile.Write(op.Context);
            try
            {
                files.Add((op.Context.OperatorUid, CheckpointStorage.WriteStateFile(directory, op.Context.OperatorUid, SubtaskIndex, bytes)));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Storage trouble fails this checkpoint, not the job (as in Flink, where a task
                // declines it); the tolerable-failure count decides when it is too much.
                storageFailure = e;
                break;
            }
        }

        // The barrier goes on either way, so downstream alignment is never stuck on it.
        if (forwardBarrier)
        {
            _output.Broadcast(new CheckpointBarrier(checkpointId, timestampMs, directory));
        }

        if (storageFailure is not null)
        {
            _logger.LogWarning(storageFailure, "{Subtask} could not write its state for checkpoint {CheckpointId}", Name, checkpointId);
            _host.Decline(checkpointId, this, storageFailure);
            return;
        }

        _host.Acknowledge(checkpointId, this, files);
    }

    /// <summary>
    /// The final checkpoint: all input is processed and nothing is in flight, so the chain
    /// snapshots as it stands, without a barrier.
    /// </summary>
    public void PerformFinalCheckpoint(long checkpointId, long timestampMs, string directory)
    {
        _finalCheckpointId = checkpointId;
        SnapshotAndAcknowledge(checkpointId, timestampMs, directory, forwardBarrier: false);
    }

    public void NotifyCheckpointComplete(long checkpointId)
    {
        foreach (var op in _operators)
        {
            op.NotifyCheckpointComplete(checkpointId);
        }

        if (_finalCheckpointId is { } final && checkpointId >= final)
        {
            _finalCheckpointNotified = true;
        }
    }

    public void NotifyCheckpointAborted(long checkpointId)
    {
        foreach (var op in _operators)
        {
            op.NotifyCheckpointAborted(checkpointId);
        }
    }

    private void RunSource()
    {
        var source = (ISourceRunner)_operators[0];
        // Reading the clock after every emission cost as much as the rest of the emission (the
        // engine benchmark: a fifth of all CPU time); a timer marks the flush due instead.
        using var flushTimer = _bufferTimeout > TimeSpan.Zero
            ? new Timer(static runner => Volatile.Write(ref ((SubtaskRunner)runner!)._flushDue, 1), this, _bufferTimeout, _bufferTimeout)
            : null;
        SourceSynchronizationContext.Run(() => source.RunAsync(this, _cancellation));
        _output.Flush();
    }

    /// <summary>Handles mail (the final checkpoint, its completion) until the final checkpoint's completion reached this subtask.</summary>
    private void AwaitFinalCheckpoint()
    {
        while (!_finalCheckpointNotified)
        {
            _cancellation.ThrowIfCancellationRequested();
            _signal.Reset();
            if (Volatile.Read(ref _pendingMail) > 0)
            {
                ProcessMail();
                continue;
            }

            _signal.Wait(IdleWait, _cancellation);
        }
    }

    private void ProcessMail()
    {
        while (_mailbox.TryDequeue(out var mail))
        {
            Interlocked.Decrement(ref _pendingMail);
            mail();
        }
    }

    private void RunInputLoop()
    {
        var head = _operators[0];
        var gate = new InputGate(_inputs, head.ProcessWatermark, head.ProcessIdleness);
        while (gate.Open > 0)
        {
            _cancellation.ThrowIfCancellationRequested();
            if (Volatile.Read(ref _pendingMail) > 0)
            {
                ProcessMail();
            }

            _signal.Reset();
            if (gate.TryTake(out var channel, out var item))
            {
                Handle(gate, channel, item);
            }
            else if (Volatile.Read(ref _pendingMail) == 0)
            {
                _signal.Wait(IdleWait, _cancellation);
            }
        }
    }

    private void Handle(InputGate gate, int channel, object item)
    {
        switch (item)
        {
            case CheckpointBarrier barrier:
                CheckpointIfAligned(gate.Aligner.OnBarrier(channel, barrier));
                break;
            case WatermarkEvent watermark:
                gate.Valve.InputWatermark(channel, watermark.WatermarkMs);
                break;
            case IdlenessEvent idleness:
                gate.Valve.InputIdleness(channel, idleness.Idle);
                break;
            case EndOfInputEvent:
                CheckpointIfAligned(gate.End(channel));
                break;
            default:
                _processBatch(_inputIndexes[channel], item);
                _output.Flush();
                break;
        }
    }

    private void CheckpointIfAligned(CheckpointBarrier? aligned)
    {
        if (aligned is not null)
        {
            PerformCheckpoint(aligned.CheckpointId, aligned.TimestampMs, aligned.Directory);
        }
    }
}
