using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Rivulet.Core.Checkpointing;
using Rivulet.Core.Graph;
using Rivulet.Core.Runtime.Operators;

namespace Rivulet.Core.Runtime;

/// <summary>
/// One parallel instance of an operator chain, on its own thread: the mailbox loop. Records,
/// barriers, watermarks and mail (checkpoint triggers, completion notifications) are all handled
/// on this one thread, so user code of a subtask never runs concurrently with itself.
/// </summary>
internal sealed class SubtaskRunner : IMailbox
{
    private static readonly TimeSpan IdleWait = TimeSpan.FromMilliseconds(50);
    private readonly ExecutionAttempt _attempt;
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
        ExecutionAttempt attempt,
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
        _attempt = attempt;
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
            _attempt.InputEnded(this);
            ProcessMail();
            if (_attempt.TakesFinalCheckpoint)
            {
                AwaitFinalCheckpoint();
            }

            foreach (var op in _operators)
            {
                op.Close();
            }

            closed = true;
            _attempt.SubtaskFinished(this);
        }
        catch (Exception e) when (_cancellation.IsCancellationRequested && e is OperationCanceledException)
        {
        }
        catch (Exception e)
        {
            _attempt.Fail(new SubtaskFailedException(Name, e));
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
            _output.Broadcast(new CheckpointBarrier(checkpointId, timestampMs));
        }

        if (storageFailure is not null)
        {
            _logger.LogWarning(storageFailure, "{Subtask} could not write its state for checkpoint {CheckpointId}", Name, checkpointId);
            _attempt.Coordinator?.Decline(checkpointId, this, storageFailure);
            return;
        }

        _attempt.Coordinator?.Acknowledge(checkpointId, this, files);
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
        var gate = new InputGateState(_inputs.Count);
        var next = 0;
        while (gate.Open > 0)
        {
            _cancellation.ThrowIfCancellationRequested();
            if (Volatile.Read(ref _pendingMail) > 0)
            {
                ProcessMail();
            }

            _signal.Reset();
            var handled = false;
            for (var n = 0; n < _inputs.Count && !handled; n++)
            {
                var channel = (next + n) % _inputs.Count;
                if (gate.Ended[channel] || gate.Blocked[channel] || !_inputs[channel].TryTake(out var item))
                {
                    continue;
                }

                next = channel + 1;
                handled = true;
                Handle(gate, channel, item);
            }

            if (!handled && Volatile.Read(ref _pendingMail) == 0)
            {
                _signal.Wait(IdleWait, _cancellation);
            }
        }
    }

    private void Handle(InputGateState gate, int channel, object item)
    {
        switch (item)
        {
            case CheckpointBarrier barrier:
                OnBarrier(gate, channel, barrier);
                break;
            case WatermarkEvent watermark:
                gate.Watermarks[channel] = Math.Max(gate.Watermarks[channel], watermark.WatermarkMs);
                if (gate.Behind[channel] && gate.Watermarks[channel] >= gate.CurrentWatermark)
                {
                    gate.Behind[channel] = false;
                }

                AdvanceWatermark(gate);
                break;
            case IdlenessEvent idleness:
                if (gate.Idle[channel] && !idleness.Idle)
                {
                    // Back from idle but behind what this subtask already promised: it does not pull
                    // the minimum down; it joins again once it caught up (Flink's "aligned" inputs).
                    gate.Behind[channel] = gate.Watermarks[channel] < gate.CurrentWatermark;
                }

                gate.Idle[channel] = idleness.Idle;
                AdvanceWatermark(gate);
                break;
            case EndOfInputEvent:
                gate.Ended[channel] = true;
                gate.Open--;
                AdvanceWatermark(gate);
                TryCompleteAlignment(gate);
                break;
            default:
                _processBatch(_inputIndexes[channel], item);
                _output.Flush();
                break;
        }
    }

    private void OnBarrier(InputGateState gate, int channel, CheckpointBarrier barrier)
    {
        if (gate.Aligning is { } current && barrier.CheckpointId < current.CheckpointId)
        {
            return;
        }

        if (gate.Aligning is null || barrier.CheckpointId > gate.Aligning.CheckpointId)
        {
            // A newer checkpoint overtook one still aligning: the older one can no longer complete.
            Array.Clear(gate.Blocked);
            gate.Aligning = barrier;
        }

        gate.Blocked[channel] = true;
        TryCompleteAlignment(gate);
    }

    private void TryCompleteAlignment(InputGateState gate)
    {
        if (gate.Aligning is not { } barrier)
        {
            return;
        }

        for (var c = 0; c < gate.Blocked.Length; c++)
        {
            if (!gate.Blocked[c] && !gate.Ended[c])
            {
                return;
            }
        }

        Array.Clear(gate.Blocked);
        gate.Aligning = null;
        PerformCheckpoint(barrier.CheckpointId, barrier.TimestampMs, _attempt.CheckpointDirectoryFor(barrier.CheckpointId));
    }

    private void AdvanceWatermark(InputGateState gate)
    {
        var min = long.MaxValue;
        var anyActive = false;
        var anyAligned = false;
        for (var c = 0; c < gate.Watermarks.Length; c++)
        {
            if (gate.Ended[c] || gate.Idle[c])
            {
                continue;
            }

            anyActive = true;
            if (!gate.Behind[c])
            {
                anyAligned = true;
                min = Math.Min(min, gate.Watermarks[c]);
            }
        }

        if (!anyActive)
        {
            // Every input is idle or ended. No input will advance its watermark before it becomes
            // active again, so what all of them promised holds: flush the highest watermark of the
            // idle inputs (as Flink's valve does); otherwise inputs that went idle one after the
            // other would leave the last of them unheard. Then tell downstream this subtask is idle.
            var max = long.MinValue;
            for (var c = 0; c < gate.Watermarks.Length; c++)
            {
                if (!gate.Ended[c])
                {
                    max = Math.Max(max, gate.Watermarks[c]);
                }
            }

            if (max > gate.CurrentWatermark)
            {
                gate.CurrentWatermark = max;
                _operators[0].ProcessWatermark(max);
            }

            if (!gate.AllIdle && gate.Open > 0)
            {
                gate.AllIdle = true;
                _operators[0].ProcessIdleness(true);
            }

            return;
        }

        if (gate.AllIdle)
        {
            gate.AllIdle = false;
            _operators[0].ProcessIdleness(false);
        }

        if (anyAligned && min > gate.CurrentWatermark && min != long.MinValue)
        {
            gate.CurrentWatermark = min;
            _operators[0].ProcessWatermark(min);
        }
    }

    private sealed class InputGateState(int channels)
    {
        public int Open { get; set; } = channels;

        public bool[] Ended { get; } = new bool[channels];

        public bool[] Blocked { get; } = new bool[channels];

        public bool[] Idle { get; } = new bool[channels];

        /// <summary>Active again after idling, but still below the current watermark.</summary>
        public bool[] Behind { get; } = new bool[channels];

        public long[] Watermarks { get; } = Enumerable.Repeat(long.MinValue, channels).ToArray();

        public long CurrentWatermark { get; set; } = long.MinValue;

        public bool AllIdle { get; set; }

        public CheckpointBarrier? Aligning { get; set; }
    }
}

/// <summary>A subtask failed; names it.</summary>
public sealed class SubtaskFailedException(string subtask, Exception inner) : Exception($"{subtask} failed: {inner.Message}", inner)
{
    /// <summary>The failed subtask, as its chain's operator names and its 1-based index, e.g. "Source -> Map (2/4)".</summary>
    public string Subtask { get; } = subtask;
}
