using Rivulet.Core.Api.Functions;
using Rivulet.Core.State;
using Rivulet.Core.State.Serialization;

namespace Rivulet.Core.Runtime.Operators;

/// <summary>
/// Asynchronous I/O: calls an <see cref="IAsyncFunction{TIn, TOut}"/> per element and keeps up to
/// <c>capacity</c> calls in flight, in a queue that also holds the watermarks between them. Completions
/// come back as mail, so results are emitted on the subtask's thread. Ordered: the queue's head leaves
/// first. Unordered: completed elements leave at once, but never past a watermark queued before them,
/// and a watermark leaves only when every element before it has. Invariant: every element in the queue
/// is either in flight or completed and not yet emitted — that, plus an element waiting for room, is
/// what a checkpoint stores, and what a restore issues again.
/// </summary>
internal sealed class AsyncWaitOperator<TIn, TOut>(IAsyncFunction<TIn, TOut> function, TimeSpan timeout, int capacity, bool ordered, IOutput<TOut> output)
    : OneInputOperator<TIn, TOut>(output)
{
    private static readonly TimeSpan YieldWait = TimeSpan.FromMilliseconds(50);
    private readonly LinkedList<QueueEntry> _queue = new();
    private readonly CancellationTokenSource _stopping = new();
    private int _elements;
    private IListState<InFlightElement>? _state;
    // The element waiting for room in a full queue: a checkpoint taken meanwhile (mail run while
    // waiting, e.g. a chained source's trigger) must hold it too, or it would be lost on restore.
    private InFlightElement? _waitingForRoom;
    private List<InFlightElement> _restored = [];

    protected override object UserFunction => function;

    public override void InitializeState()
    {
        base.InitializeState();
        var serializer = new InFlightElementSerializer(TypeSerializers.For<TIn>($"Operator '{Context.OperatorName}', elements in flight"));
        _state = Context.OperatorState.GetListState(new ListStateDescriptor<InFlightElement>("async-wait-in-flight", serializer));
        _restored = [.. _state.Get()];
    }

    public override void Open()
    {
        base.Open();
        // Calls in flight at the restored checkpoint: their results were never emitted before it.
        foreach (var element in _restored)
        {
            Add(element.Value, element.Timestamp);
        }

        _restored = [];
    }

    public override void ProcessElement(TIn value, long timestamp) => Add(value, timestamp);

    public override void ProcessWatermark(long watermark)
    {
        _queue.AddLast(new WatermarkEntry(watermark));
        Emit();
    }

    public override void SnapshotState(long checkpointId, long timestampMs)
    {
        var inFlight = _queue.OfType<ElementEntry>().Select(e => new InFlightElement(e.Value, e.Timestamp));
        _state!.Update(_waitingForRoom is { } waiting ? inFlight.Append(waiting) : inFlight);
        base.SnapshotState(checkpointId, timestampMs);
    }

    public override void EndInput()
    {
        // Nothing more comes in: wait for every call, so the final checkpoint holds no element in flight.
        while (_queue.Count > 0)
        {
            Context.Mailbox.Yield(YieldWait);
        }

        base.EndInput();
    }

    public override void Close()
    {
        _stopping.Cancel();
        base.Close();
    }

    public override void Dispose()
    {
        _stopping.Cancel();
        base.Dispose();
    }

    private void Add(TIn value, long timestamp)
    {
        // A full queue holds the input back (backpressure) while completions keep arriving as mail.
        if (_elements >= capacity)
        {
            _waitingForRoom = new InFlightElement(value, timestamp);
            while (_elements >= capacity)
            {
                Context.Mailbox.Yield(YieldWait);
            }

            _waitingForRoom = null;
        }

        var entry = new ElementEntry(value, timestamp);
        _queue.AddLast(entry);
        _elements++;
        var cancel = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token);
        Task<IReadOnlyCollection<TOut>> call;
        // The subtask's thread may carry a source's synchronization context, which only runs while the
        // source does: the call's continuations must not be posted there, or they wait for the queue to drain.
        var context = SynchronizationContext.Current;
        SynchronizationContext.SetSynchronizationContext(null);
        try
        {
            call = function.InvokeAsync(value, cancel.Token);
        }
        catch (Exception e)
        {
            call = Task.FromException<IReadOnlyCollection<TOut>>(e);
        }
        finally
        {
            SynchronizationContext.SetSynchronizationContext(context);
        }

        var mailbox = Context.Mailbox;
        call.WaitAsync(timeout, Context.TimeProvider).ContinueWith(
            waited => mailbox.Post(() => Complete(entry, call, waited, cancel)),
            CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    private void Complete(ElementEntry entry, Task<IReadOnlyCollection<TOut>> call, Task<IReadOnlyCollection<TOut>> waited, CancellationTokenSource cancel)
    {
        using (cancel)
        {
            if (_stopping.IsCancellationRequested)
            {
                return;
            }

            if (waited.IsCompletedSuccessfully)
            {
                entry.Results = waited.Result ?? [];
            }
            else if (!call.IsCompleted)
            {
                // Timed out: the call is told to give up, the function's Timeout decides the results.
                cancel.Cancel();
                entry.Results = function.Timeout(entry.Value) ?? [];
            }
            else
            {
                var cause = call.Exception?.GetBaseException() ?? new OperationCanceledException("the call's task was cancelled");
                throw new InvalidOperationException(
                    $"Operator '{Context.OperatorName}': the asynchronous call for element '{entry.Value}' failed: {cause.Message}", cause);
            }
        }

        Emit();
    }

    private void Emit()
    {
        while (_queue.First is { } head)
        {
            switch (head.Value)
            {
                case WatermarkEntry watermark:
                    _queue.RemoveFirst();
                    Output.EmitWatermark(watermark.Watermark);
                    continue;
                case ElementEntry { Results: not null } done:
                    _queue.RemoveFirst();
                    Send(done);
                    continue;
            }

            if (!ordered)
            {
                // The head is still in flight: completed elements up to the next watermark may pass it.
                for (var node = head.Next; node is not null && node.Value is ElementEntry;)
                {
                    var next = node.Next;
                    if (node.Value is ElementEntry { Results: not null } completed)
                    {
                        _queue.Remove(node);
                        Send(completed);
                    }

                    node = next;
                }
            }

            return;
        }
    }

    private void Send(ElementEntry entry)
    {
        _elements--;
        foreach (var result in entry.Results!)
        {
            Output.Collect(result, entry.Timestamp);
        }
    }

    private abstract class QueueEntry;

    private sealed class WatermarkEntry(long watermark) : QueueEntry
    {
        public long Watermark { get; } = watermark;
    }

    private sealed class ElementEntry(TIn value, long timestamp) : QueueEntry
    {
        public TIn Value { get; } = value;

        public long Timestamp { get; } = timestamp;

        /// <summary>Null while the call is in flight.</summary>
        public IReadOnlyCollection<TOut>? Results { get; set; }
    }

    private sealed record InFlightElement(TIn Value, long Timestamp);

    private sealed class InFlightElementSerializer(ITypeSerializer<TIn> values) : ITypeSerializer<InFlightElement>
    {
        public void Serialize(InFlightElement value, BinaryWriter writer)
        {
            writer.Write(value.Timestamp);
            values.Serialize(value.Value, writer);
        }

        public InFlightElement Deserialize(BinaryReader reader)
        {
            var timestamp = reader.ReadInt64();
            return new InFlightElement(values.Deserialize(reader), timestamp);
        }
    }
}
