namespace Rivulet.Connectors.Kafka.Sink;

/// <summary>Everything a sink subtask's writer needs, fixed when the job is built.</summary>
internal sealed record KafkaSinkSettings
{
    public required IReadOnlyDictionary<string, string> ClientProperties { get; init; }

    public string? DefaultTopic { get; init; }

    public Semantic Semantic { get; init; } = Semantic.AtLeastOnce;

    public bool LogFailuresOnly { get; init; }

    public bool FlushOnCheckpoint { get; init; } = true;

    public bool WriteTimestampToKafka { get; init; }

    /// <summary>Prefix of the transactional ids (<c>{prefix}-{subtask}-{slot}</c>).</summary>
    public string TransactionalIdPrefix { get; init; } = "rivulet";

    /// <summary>Transactional producers per subtask (Flink's <c>kafkaProducersPoolSize</c>, default 5).</summary>
    public int ProducerPoolSize { get; init; } = 5;

    /// <summary>Bound on blocking client calls: metadata, InitTransactions, commit, flush.</summary>
    public TimeSpan ClientTimeout { get; init; } = TimeSpan.FromSeconds(60);
}
