using Confluent.Kafka;
using Microsoft.Extensions.Logging;
using Rivulet.Connectors.Kafka.Native;

namespace Rivulet.Connectors.Kafka.Sink.Transactions;

/// <summary>
/// Decides how a transaction ended from the log, as Kafka documents it: a read_committed reader
/// sees only committed transactional records, and reads no further than the last stable offset
/// (LSO), the first offset of the oldest transaction still open in the partition.
/// </summary>
/// <remarks>
/// For the record a transaction stored at offset <c>o</c>: while the LSO is at or below <c>o</c>,
/// the transaction may still be open (<see cref="TransactionOutcome.Open"/>). Once the LSO has
/// passed it, a read_committed read from <c>o</c> returns that very record exactly when the
/// transaction committed. Any other answer is taken for an abort only when a read_uncommitted read
/// still finds the record at <c>o</c>; a record removed since (retention, compaction, a deleted
/// topic) leaves the outcome <see cref="TransactionOutcome.Unknown"/>, never guessed. The probe
/// reads with the sink's own client settings (security included); it joins no consumer group and commits nothing.
/// </remarks>
internal sealed class ReadCommittedTransactionProbe(IReadOnlyDictionary<string, string> clientProperties, ILogger logger) : ITransactionOutcomeProbe
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan MinimumReadTime = TimeSpan.FromSeconds(30);
    private IConsumer<Ignore, Ignore>? _committed;
    private IConsumer<Ignore, Ignore>? _uncommitted;

    public TransactionProbeResult Check(TransactionRecordPosition position, TimeSpan waitForEnd, CancellationToken cancellationToken)
    {
        var partition = new TopicPartition(position.Topic, position.Partition);
        var committed = _committed ??= CreateConsumer(IsolationLevel.ReadCommitted);
        var waitUntil = DateTime.UtcNow + waitForEnd;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            long lastStable;
            try
            {
                lastStable = committed.QueryWatermarkOffsets(partition, MinimumReadTime).High.Value;
            }
            catch (KafkaException e) when (Permanent(e.Error.Code) is { } reason)
            {
                return TransactionProbeResult.Unknown($"{reason} ({position})");
            }

            if (lastStable > position.Offset)
            {
                break;
            }

            if (DateTime.UtcNow >= waitUntil)
            {
                return new TransactionProbeResult(TransactionOutcome.Open);
            }

            cancellationToken.WaitHandle.WaitOne(Poll);
        }

        var visible = FirstOffsetFrom(committed, partition, position, cancellationToken);
        if (visible.Unknown is { } unknown)
        {
            return TransactionProbeResult.Unknown(unknown);
        }

        if (visible.IsRecord && visible.Offset == position.Offset)
        {
            return new TransactionProbeResult(TransactionOutcome.Committed);
        }

        // Not visible to read_committed: aborted, if the record is still there at all.
        var stored = FirstOffsetFrom(_uncommitted ??= CreateConsumer(IsolationLevel.ReadUncommitted), partition, position, cancellationToken);
        if (stored.Unknown is { } gone)
        {
            return TransactionProbeResult.Unknown(gone);
        }

        return stored.IsRecord && stored.Offset == position.Offset
            ? new TransactionProbeResult(TransactionOutcome.Aborted)
            : TransactionProbeResult.Unknown($"the record at {position} no longer exists (retention or compaction removed it)");
    }

    public void Dispose()
    {
        _committed?.Dispose();
        _uncommitted?.Dispose();
    }

    /// <summary>The offset of the first record the consumer returns from <paramref name="position"/>, or where the partition ended.</summary>
    private static (long Offset, bool IsRecord, string? Unknown) FirstOffsetFrom(IConsumer<Ignore, Ignore> consumer, TopicPartition partition, TransactionRecordPosition position,
        CancellationToken cancellationToken)
    {
        consumer.Assign(new TopicPartitionOffset(partition, position.Offset));
        try
        {
            var deadline = DateTime.UtcNow + MinimumReadTime;
            while (DateTime.UtcNow < deadline)
            {
                cancellationToken.ThrowIfCancellationRequested();
                ConsumeResult<Ignore, Ignore>? result;
                try
                {
                    result = consumer.Consume(Poll);
                }
                catch (ConsumeException e) when (Permanent(e.Error.Code) is { } reason)
                {
                    return (-1, false, $"{reason} ({position})");
                }

                if (result is not null)
                {
                    return (result.Offset.Value, !result.IsPartitionEOF, null);
                }
            }
        }
        finally
        {
            consumer.Unassign();
        }

        throw new TimeoutException($"Could not read {position} within {MinimumReadTime.TotalSeconds:0} s to tell how its transaction ended.");
    }

    /// <summary>Why an error means the data cannot answer (rather than "try again"), or null for a transient error.</summary>
    private static string? Permanent(ErrorCode code) => code switch
    {
        ErrorCode.Local_AutoOffsetReset or ErrorCode.OffsetOutOfRange => "the record no longer exists (retention removed it)",
        ErrorCode.TopicAuthorizationFailed => "the sink's principal may not read the topic (grant it READ on the topic to let Rivulet check)",
        ErrorCode.UnknownTopicOrPart or ErrorCode.Local_UnknownTopic or ErrorCode.Local_UnknownPartition => "the topic or partition no longer exists",
        _ => null,
    };

    private IConsumer<Ignore, Ignore> CreateConsumer(IsolationLevel isolation)
    {
        LibrdkafkaLoader.EnsureLoaded();
        var config = new ConsumerConfig(ConsumerSettings(clientProperties))
        {
            // Required by the client, never used: the probe assigns partitions and commits nothing.
            GroupId = "rivulet-transaction-probe",
            IsolationLevel = isolation,
            EnableAutoCommit = false,
            EnablePartitionEof = true,
            AutoOffsetReset = AutoOffsetReset.Error,
        };
        return new ConsumerBuilder<Ignore, Ignore>(config)
            .SetLogHandler((_, message) => logger.LogDebug("librdkafka {Facility}: {Message}", message.Facility, message.Message))
            .SetErrorHandler((_, error) => logger.LogDebug("Transaction probe: {Code}: {Reason}", error.Code, error.Reason))
            .Build();
    }

    /// <summary>The sink's connection and security settings without what only a producer understands.</summary>
    private static Dictionary<string, string> ConsumerSettings(IReadOnlyDictionary<string, string> properties)
    {
        var settings = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in properties)
        {
            if (key is "bootstrap.servers" or "client.id" or "client.dns.lookup" or "socket.timeout.ms" or "broker.address.family"
                || key.StartsWith("security.", StringComparison.Ordinal) || key.StartsWith("sasl.", StringComparison.Ordinal)
                || key.StartsWith("ssl.", StringComparison.Ordinal) || key.StartsWith("ssl_", StringComparison.Ordinal)
                || key.StartsWith("enable.ssl", StringComparison.Ordinal) || key.StartsWith("api.version", StringComparison.Ordinal)
                || key.StartsWith("broker.version", StringComparison.Ordinal))
            {
                settings[key] = value;
            }
        }

        return settings;
    }
}
