namespace Rivulet.Core.Runtime.IO;

/// <summary>
/// Where a producer subtask puts its record batches and events for one consumer subtask: a
/// <see cref="BatchChannel"/> in this process, or a connection to another process. Only the
/// producer's thread puts; <see cref="Close"/> may come from any thread.
/// </summary>
internal interface IOutputChannel
{
    /// <summary>Hands <paramref name="item"/> on, blocking while the consumer is behind (backpressure); false when the attempt is ending.</summary>
    bool Put(object item, CancellationToken cancellationToken);

    /// <summary>
    /// Hands on what the channel holds back: a channel to another process gathers record batches
    /// into fewer, larger writes until it holds enough, an event comes, or the producer flushes
    /// (at its buffer timeout, or after each input batch it processed).
    /// </summary>
    void Flush();

    /// <summary>Unblocks a producer blocked in <see cref="Put"/> for good (the attempt is ending).</summary>
    void Close();
}
