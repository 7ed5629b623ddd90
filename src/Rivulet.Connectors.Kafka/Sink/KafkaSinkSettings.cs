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

    /// <summary>
    /// On start, the ids of subtasks up to this many times the parallelism are fenced too (Flink's
    /// SAFE_SCALE_DOWN_FACTOR, 5): an attempt at a higher parallelism that died before a checkpoint
    /// may have left transactions open there. 1 fences only the known subtasks.
    /// </summary>
    public int SafeScaleDownFactor { get; init; } = 5;

    /// <summary>Go on (logging an error) when a restored transaction turns out lost, instead of failing the job (Flink's <c>ignoreFailuresAfterTransactionTimeout</c>).</summary>
    public bool IgnoreLostTransactions { get; init; }

    /// <summary>Where crash tests stop the sink; null in every real job.</summary>
    public Testing.ISinkCrashPoints? CrashPoints { get; init; }

    /// <summary>Bound on blocking client calls: metadata, InitTransactions, commit, flush.</summary>
    public TimeSpan ClientTimeout { get; init; } = TimeSpan.FromSeconds(60);
}
