namespace Rivulet.Core.Runtime.IO;

/// <summary>
/// A bounded queue of batches and events from one producer subtask to one consumer subtask. A
/// full queue blocks the producer: that is backpressure, and what bounds memory.
/// </summary>
internal sealed class BatchChannel(int capacity, SubtaskSignal consumer, ChannelStatistics statistics) : IOutputChannel
{
    private readonly Queue<object> _items = new(capacity);
    private readonly object _gate = new();

    // Wake a blocked producer once half the queue is free, not at every free slot: waking it per
    // batch made both threads pay a context switch per batch (the engine benchmark's keyed
    // channel: a third of all batches), the consumer in a futex call on its hot path.
    private readonly int _resumeProducerAt = capacity / 2;
    private bool _producerWaiting;
    private bool _closed;

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _items.Count;
            }
        }
    }

    /// <summary>Blocks while the queue is full; returns false when the job is being cancelled.</summary>
    public bool Put(object item, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            while (_items.Count >= capacity && !_closed)
            {
                if (cancellationToken.IsCancellationRequested)
                {
                    return false;
                }

                statistics.RecordBlocked();
                _producerWaiting = true;
                Monitor.Wait(_gate, 50);
                _producerWaiting = false;
            }

            if (_closed)
            {
                return false;
            }

            _items.Enqueue(item);
            statistics.RecordOccupancy(_items.Count);
        }

        consumer.Notify();
        return true;
    }

    public bool TryTake(out object item)
    {
        lock (_gate)
        {
            if (_items.TryDequeue(out item!))
            {
                // One producer per channel.
                if (_producerWaiting && _items.Count <= _resumeProducerAt)
                {
                    Monitor.Pulse(_gate);
                }

                return true;
            }

            return false;
        }
    }

    /// <summary>Nothing to do: every item put is in the queue at once.</summary>
    public void Flush()
    {
    }

    /// <summary>Unblocks a waiting producer for good (job cancellation).</summary>
    public void Close()
    {
        lock (_gate)
        {
            _closed = true;
            _items.Clear();
            Monitor.PulseAll(_gate);
        }
    }
}
