namespace Rivulet.Core.Runtime.IO;

/// <summary>
/// The network end of one edge in one producer subtask: buffers records into a batch per
/// downstream channel and hands full batches to the channel (blocking when it is full).
/// </summary>
internal sealed class RecordWriter<T>(IReadOnlyList<IOutputChannel> channels, ChannelSelector<T> selector, int batchSize, CancellationToken cancellationToken) : IOutput<T>
{
    private readonly RecordBatch<T>?[] _batches = new RecordBatch<T>?[channels.Count];

    // A forward edge (or any edge with one downstream channel) always writes to the same channel:
    // no virtual call per record to find it.
    private readonly int _fixedChannel = selector is ForwardSelector<T> forward ? forward.Channel : -1;

    public void Collect(T value, long timestamp)
    {
        var channel = _fixedChannel >= 0 ? _fixedChannel : selector.Select(value);
        if (channel >= 0)
        {
            Add(channel, value, timestamp);
            return;
        }

        for (var c = 0; c < channels.Count; c++)
        {
            Add(c, value, timestamp);
        }
    }

    public void EmitWatermark(long watermark) => BroadcastEvent(new WatermarkEvent(watermark));

    public void EmitIdleness(bool idle) => BroadcastEvent(new IdlenessEvent(idle));

    public void BroadcastEvent(StreamEvent streamEvent)
    {
        Flush();
        foreach (var channel in channels)
        {
            Put(channel, streamEvent);
        }
    }

    public void Flush()
    {
        for (var c = 0; c < _batches.Length; c++)
        {
            if (_batches[c] is { Count: > 0 } batch)
            {
                _batches[c] = null;
                Put(channels[c], batch);
            }

            channels[c].Flush();
        }
    }

    private void Add(int channel, T value, long timestamp)
    {
        var batch = _batches[channel] ??= new RecordBatch<T>(batchSize);
        batch.Add(value, timestamp);
        if (batch.IsFull)
        {
            _batches[channel] = null;
            Put(channels[channel], batch);
        }
    }

    private void Put(IOutputChannel channel, object item)
    {
        if (!channel.Put(item, cancellationToken))
        {
            throw new OperationCanceledException("The job is being cancelled.", cancellationToken);
        }
    }
}
