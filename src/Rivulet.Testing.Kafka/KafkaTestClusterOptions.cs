namespace Rivulet.Testing.Kafka;

/// <summary>Settings of a <see cref="KafkaTestCluster"/>.</summary>
public sealed record KafkaTestClusterOptions
{
    /// <summary>librdkafka syslog level of the broker's own log (3 = errors only, 7 = debug).</summary>
    public int LogLevel { get; init; } = 3;

    /// <summary>How long a new consumer group waits before its first rebalance (Kafka's
    /// <c>group.initial.rebalance.delay.ms</c>; the mock defaults to 3000).</summary>
    public int GroupInitialRebalanceDelayMs { get; init; }

    /// <summary>The brokers' <c>transaction.max.timeout.ms</c>: InitProducerId asking for a longer
    /// <c>transaction.timeout.ms</c> fails with INVALID_TRANSACTION_TIMEOUT. Kafka's default is 900000 (15 min).</summary>
    public int TransactionMaxTimeoutMs { get; init; } = KafkaTestCluster.DefaultTransactionMaxTimeoutMs;
}
