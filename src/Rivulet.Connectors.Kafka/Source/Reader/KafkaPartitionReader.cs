using Confluent.Kafka;
using Microsoft.Extensions.Logging;
using Rivulet.Connectors.Kafka.Native;
using Rivulet.Connectors.Kafka.Source.Deserialization;
using Rivulet.Connectors.Kafka.Source.Initializer;
using Rivulet.Connectors.Kafka.Source.Metrics;
using Rivulet.Connectors.Kafka.Source.Subscriber;

namespace Rivulet.Connectors.Kafka.Source.Reader;

/// <summary>
/// Reads the partitions assigned to one source subtask with one Confluent.Kafka consumer, by
/// manual assignment (no group rebalancing: who reads what is the assigner's decision, where to
/// read from is the checkpoint's). Keeps the next offset to read per partition. Used from the
/// source subtask's loop only.
/// </summary>
internal sealed class KafkaPartitionReader<T> : IDisposable
{
    private readonly IConsumer<byte[]?, byte[]?> _consumer;
    private readonly IKafkaDeserializationSchema<T> _schema;
    private readonly KafkaSourceMetrics _metrics;
    private readonly ILogger _logger;
    private readonly ClientLog _clientLog;
    private readonly PartitionPositions _positions;
    private readonly string? _groupId;
    private readonly string? _autoOffsetReset;
    private IAdminClient? _admin;
    private volatile string? _fatalError;
    private volatile string? _lastClientError;
    private int _recordsSinceWatermarkRefresh;

    public KafkaPartitionReader(
        IReadOnlyDictionary<string, string> clientProperties,
        string? groupId,
        bool enableAutoCommit,
        IKafkaDeserializationSchema<T> schema,
        KafkaSourceMetrics metrics,
        ILogger logger)
    {
        LibrdkafkaLoader.EnsureLoaded();
        _schema = schema;
        _metrics = metrics;
        _logger = logger;
        _clientLog = new ClientLog(logger, "consumer");
        _groupId = groupId;
        _positions = new PartitionPositions(metrics);
        var config = new ConsumerConfig(new Dictionary<string, string>(clientProperties))
        {
            // Confluent.Kafka insists on a group id even for assign-only consumers; without the
            // user's one nothing is committed, so a private name is harmless.
            GroupId = groupId ?? $"rivulet-source-{Guid.NewGuid():N}",
            EnableAutoCommit = enableAutoCommit,
            EnablePartitionEof = false,
        };
        _autoOffsetReset = clientProperties.TryGetValue("auto.offset.reset", out var reset) ? reset : null;
        foreach (var (name, value) in KafkaConsumerDefaults.ClientProperties)
        {
            if (!clientProperties.ContainsKey(name))
            {
                config.Set(name, value);
            }
        }

        if (!clientProperties.ContainsKey("statistics.interval.ms"))
        {
            // librdkafka's statistics feed the source's client metrics (fetch queue, retries…);
            // once a second costs next to nothing. Setting it (0 = off) overrides this.
            config.StatisticsIntervalMs = 1_000;
        }

        var builder = new ConsumerBuilder<byte[]?, byte[]?>(config)
            .SetErrorHandler((_, error) => OnClientError(error))
            .SetLogHandler((_, message) => OnClientLog(message))
            .SetStatisticsHandler((_, json) => _metrics.RecordStatistics(json));

        try
        {
            _consumer = builder.Build();
        }
        catch (Exception e) when (e is ArgumentException or KafkaException or InvalidOperationException)
        {
            throw KafkaClientConfigError.Create("Kafka source", e);
        }
    }

    /// <summary>Next offset to read, per assigned partition.</summary>
    public IReadOnlyDictionary<KafkaTopicPartition, long> Positions => _positions;

    public IPartitionOffsetsReader OffsetsReader(TimeSpan timeout) =>
        new ConsumerOffsetsReader<byte[]?, byte[]?>(_consumer, _groupId, _autoOffsetReset, timeout);

    /// <summary>
    /// Current partitions of the subscribed topics, from cluster metadata. With
    /// <paramref name="requireSubscribedTopics"/>, a named topic the cluster cannot serve (it does
    /// not exist, or this client may not read it) fails instead of being left out.
    /// </summary>
    public IReadOnlyList<KafkaTopicPartition> DiscoverPartitions(IKafkaSubscriber subscriber, TimeSpan timeout, bool requireSubscribedTopics = false)
    {
        ThrowIfFatal();
        _admin ??= new DependentAdminClientBuilder(_consumer.Handle).Build();
        try
        {
            var metadata = subscriber.TopicsToDescribe is { } topics
                ? topics.Select(t => _admin.GetMetadata(t, timeout)).ToList()
                : [_admin.GetMetadata(timeout)];
            if (requireSubscribedTopics && subscriber.UnavailableTopics(metadata.SelectMany(m => m.Topics).ToList()) is { Count: > 0 } unavailable)
            {
                throw new KafkaTopicUnavailableException(
                    $"The Kafka source cannot read {string.Join(", ", unavailable)}. Make sure the topic exists and that this client " +
                    "may describe and read it (ACLs; security settings).");
            }

            return [.. metadata.SelectMany(subscriber.Partitions).Distinct().Order()];
        }
        catch (KafkaException e)
        {
            if (_positions.Count == 0)
            {
                // The consumer's error callbacks run only inside Consume; with nothing assigned yet a
                // zero-wait poll delivers them (and can return no record) so the failure can say why.
                _consumer.Consume(TimeSpan.Zero);
            }

            ThrowIfFatal();
            throw new KafkaException(new Error(e.Error.Code,
                $"The Kafka source could not read metadata for {subscriber.Describe()} within {timeout.TotalSeconds:0} s: {e.Error.Reason}" +
                (_lastClientError is { } last ? $" (last client error: {last})" : string.Empty)));
        }
    }

    /// <summary>Starts reading more partitions, each from its given next offset.</summary>
    public void Assign(IReadOnlyDictionary<KafkaTopicPartition, long> startOffsets)
    {
        if (startOffsets.Count == 0)
        {
            return;
        }

        foreach (var (partition, offset) in startOffsets)
        {
            if (!_positions.TryAdd(partition, offset))
            {
                throw new InvalidOperationException($"Partition {partition} is already assigned to this source subtask.");
            }
        }

        _consumer.IncrementalAssign(startOffsets.Select(p => new TopicPartitionOffset(p.Key.Topic, p.Key.Partition, p.Value)));
    }

    /// <summary>
    /// Waits up to <paramref name="timeout"/> for the next record. An element's position is
    /// advanced by <see cref="Advance"/> once it is emitted; skipped records advance here.
    /// </summary>
    public FetchedRecord<T> Poll(TimeSpan timeout)
    {
        ThrowIfFatal();
        ConsumeResult<byte[]?, byte[]?>? result;
        try
        {
            result = _consumer.Consume(timeout);
        }
        catch (ConsumeException e)
        {
            throw new KafkaException(new Error(e.Error.Code,
                $"The Kafka source failed reading topic '{e.ConsumerRecord?.Topic}', partition {e.ConsumerRecord?.Partition.Value}, offset {e.ConsumerRecord?.Offset.Value}: {e.Error.Reason}"), e);
        }

        if (result?.Message is null || result.IsPartitionEOF)
        {
            return FetchedRecord<T>.None;
        }

        var partition = _positions.Resolve(result.Topic, result.Partition.Value);
        var offset = result.Offset.Value;
        // A record without a timestamp (old message formats) carries none downstream, rather than 1970.
        var timestamp = result.Message.Timestamp.Type == TimestampType.NotAvailable ? Core.Time.TimestampAssigner.NoTimestamp : result.Message.Timestamp.UnixTimestampMs;
        T? element;
        try
        {
            element = _schema.Deserialize(new KafkaRecord(
                result.Topic,
                partition.Partition,
                offset,
                timestamp,
                result.Message.Key,
                result.Message.Value,
                result.Message.Headers is { Count: > 0 } headers ? [.. headers.Select(h => new KeyValuePair<string, byte[]>(h.Key, h.GetValueBytes()))] : KafkaRecord.NoHeaders));
        }
        catch (Exception e)
        {
            _metrics.RecordFailed();
            throw new KafkaRecordDeserializationException(partition, offset, e);
        }

        if (++_recordsSinceWatermarkRefresh >= 1024)
        {
            _recordsSinceWatermarkRefresh = 0;
            RefreshHighWatermarks();
        }

        if (element is null)
        {
            _positions.Skipped(partition, offset);
            return new FetchedRecord<T>(FetchOutcome.Skipped, partition, offset, timestamp, default);
        }

        return _schema.IsEndOfStream(element)
            ? new FetchedRecord<T>(FetchOutcome.EndOfStream, partition, offset, timestamp, element)
            : new FetchedRecord<T>(FetchOutcome.Element, partition, offset, timestamp, element);
    }

    /// <summary>
    /// Where the client fetches the partition next — past transaction markers and aborted
    /// records, which no record reports — or -1 before its first fetch.
    /// </summary>
    public long FetchPosition(KafkaTopicPartition partition) =>
        _consumer.Position(new TopicPartition(partition.Topic, partition.Partition)).Value;

    /// <summary>
    /// Stops fetching a partition whose end (a bounded source's stopping offset) was reached. Its
    /// position stays in <see cref="Positions"/>, so checkpoints keep it and a restore does not
    /// take it for a new partition.
    /// </summary>
    public void Finish(KafkaTopicPartition partition) =>
        _consumer.IncrementalUnassign([new TopicPartition(partition.Topic, partition.Partition)]);

    /// <summary>Records that the element at <paramref name="offset"/> was emitted.</summary>
    public void Advance(KafkaTopicPartition partition, long offset) => _positions.Read(partition, offset);

    /// <summary>Commits offsets to the consumer group (synchronously; for monitoring only).</summary>
    public void Commit(IReadOnlyDictionary<KafkaTopicPartition, long> offsets)
    {
        if (offsets.Count == 0)
        {
            return;
        }

        _consumer.Commit(offsets.Select(o => new TopicPartitionOffset(o.Key.Topic, o.Key.Partition, o.Value)));
    }

    /// <summary>Updates the lag metric's high watermarks from what the client last fetched (no request).</summary>
    public void RefreshHighWatermarks()
    {
        foreach (var partition in _positions.Keys)
        {
            var watermarks = _consumer.GetWatermarkOffsets(new TopicPartition(partition.Topic, partition.Partition));
            if (watermarks.High.Value >= 0)
            {
                _metrics.SetHighWatermark(partition, watermarks.High.Value);
            }
        }
    }

    public void Dispose()
    {
        _admin?.Dispose();
        try
        {
            _consumer.Close();
        }
        catch (KafkaException e)
        {
            _logger.LogDebug(e, "Closing the Kafka consumer failed");
        }

        _consumer.Dispose();
    }

    private void OnClientError(Error error)
    {
        // "All brokers are down" only sums up the connection failures before it; keep the one
        // that says why (a TLS handshake, a refused connection) for the failure message.
        if (error.Code != ErrorCode.Local_AllBrokersDown || _lastClientError is null)
        {
            _lastClientError = $"{error.Code}: {error.Reason}";
        }

        // Wrong credentials or certificates never heal by retrying: fail the job with the client's
        // message instead of polling forever.
        if (error.IsFatal || error.Code is ErrorCode.Local_Authentication or ErrorCode.SaslAuthenticationFailed
                or ErrorCode.ClusterAuthorizationFailed or ErrorCode.TopicAuthorizationFailed or ErrorCode.GroupAuthorizationFailed)
        {
            _fatalError = $"{error.Code}: {error.Reason}";
        }
        else
        {
            _clientLog.Error(error);
        }
    }

    private void OnClientLog(LogMessage message)
    {
        if (message.Level <= SyslogLevel.Warning)
        {
            // librdkafka logs connection problems (TLS handshakes, authentication) as they
            // happen, on its own threads: the freshest explanation when a request times out.
            _lastClientError = $"{message.Facility}: {message.Message}";
        }

        _clientLog.Log(message);
    }

    private void ThrowIfFatal()
    {
        if (_fatalError is { } fatal)
        {
            throw new KafkaException(new Error(ErrorCode.Local_Fatal, $"The Kafka source's client failed: {fatal}"));
        }
    }
}
