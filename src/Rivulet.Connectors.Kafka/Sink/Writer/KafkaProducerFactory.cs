using Confluent.Kafka;
using Microsoft.Extensions.Logging;
using Rivulet.Connectors.Kafka.Native;
using Rivulet.Connectors.Kafka.Sink.Metrics;

namespace Rivulet.Connectors.Kafka.Sink.Writer;

/// <summary>Builds the sink's producers from the user's properties plus what the semantic requires.</summary>
internal static class KafkaProducerFactory
{
    /// <summary>Flink's default: an hour, so a job can be down that long and still commit its transactions.</summary>
    public const int DefaultTransactionTimeoutMs = 60 * 60 * 1000;

    /// <summary>How often a non-transactional producer reports librdkafka's statistics to the sink's metrics unless <c>statistics.interval.ms</c> is set.</summary>
    public const int DefaultStatisticsIntervalMs = 1000;

    public static IProducer<byte[]?, byte[]?> Create(
        IReadOnlyDictionary<string, string> clientProperties,
        string? transactionalId,
        KafkaSinkMetrics metrics,
        ILogger logger,
        Action<string>? onStatistics = null,
        Action<Error>? onFatalError = null)
    {
        LibrdkafkaLoader.EnsureLoaded();
        var config = new ProducerConfig(new Dictionary<string, string>(clientProperties));
        if (!clientProperties.ContainsKey("partitioner"))
        {
            config.Partitioner = KafkaProducerDefaults.JavaCompatiblePartitioner;
        }

        if (transactionalId != null)
        {
            config.TransactionalId = transactionalId;
            config.EnableIdempotence = true;
            if (!clientProperties.ContainsKey("transaction.timeout.ms"))
            {
                config.TransactionTimeoutMs = DefaultTransactionTimeoutMs;
            }

            // The producer id and epoch a crash-recovery commit needs are only reported in the
            // statistics; a short interval makes a fresh snapshot arrive within ~100 ms.
            if (!clientProperties.TryGetValue("statistics.interval.ms", out var interval) || interval == "0")
            {
                config.StatisticsIntervalMs = 100;
            }
        }
        else if (!clientProperties.ContainsKey("statistics.interval.ms"))
        {
            // librdkafka reports statistics only when asked to; the sink's metrics publish them.
            config.StatisticsIntervalMs = DefaultStatisticsIntervalMs;
        }

        var log = new ClientLog(logger, transactionalId is null ? "producer" : $"producer {transactionalId}");
        var builder = new ProducerBuilder<byte[]?, byte[]?>(config)
            .SetErrorHandler((_, error) =>
            {
                if (error.IsFatal)
                {
                    logger.LogError("Kafka producer {TransactionalId}: fatal {Code}: {Reason}", transactionalId, error.Code, error.Reason);
                    onFatalError?.Invoke(error);
                }
                else
                {
                    log.Error(error);
                }
            })
            .SetLogHandler((_, message) => log.Log(message))
            .SetStatisticsHandler((_, json) =>
            {
                metrics.RecordStatistics(json);
                onStatistics?.Invoke(json);
            });
        try
        {
            return builder.Build();
        }
        catch (Exception e) when (e is ArgumentException or KafkaException or InvalidOperationException)
        {
            throw new ArgumentException($"The Kafka sink's client properties were refused by the Kafka client: {e.Message}", e);
        }
    }
}
