namespace Rivulet.Connectors.Kafka.Source;

/// <summary>Consumer settings the source applies unless the user's properties say otherwise.</summary>
public static class KafkaConsumerDefaults
{
    /// <summary>
    /// librdkafka prefetches up to 64 MB per client by default; a slow job would hold all of it in
    /// memory. 16 MB (<c>queued.max.messages.kbytes</c>) keeps throughput while bounding what
    /// backpressure leaves queued.
    /// </summary>
    public const int QueuedMaxMessagesKbytes = 16 * 1024;

    /// <summary>
    /// When a partition's prefetch queue is full, librdkafka waits <c>fetch.queue.backoff.ms</c>
    /// (default 1000) before it fetches that partition again — by then a busy source has long
    /// drained the queue and waits for the broker: a million-record topic read at 130k records/s
    /// instead of 650k. The queue limits still bound memory; this only says how soon to look again.
    /// </summary>
    public const int FetchQueueBackoffMs = 10;

    /// <summary>The defaults as client properties, for a plain consumer that should read like the source.</summary>
    public static IReadOnlyDictionary<string, string> ClientProperties { get; } = new Dictionary<string, string>
    {
        ["queued.max.messages.kbytes"] = QueuedMaxMessagesKbytes.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["fetch.queue.backoff.ms"] = FetchQueueBackoffMs.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}
