namespace Rivulet.Connectors.Kafka.Sink;

/// <summary>What a <see cref="KafkaSink{T}"/> promises (Flink's <c>DeliveryGuarantee</c>; the seeds' <see cref="Semantic"/>).</summary>
public enum DeliveryGuarantee
{
    /// <summary>Nothing: records may be lost or duplicated on failure (Flink's default for <c>KafkaSink</c>).</summary>
    None,

    /// <summary>No record is lost: the sink flushes on every checkpoint; a failure may duplicate records.</summary>
    AtLeastOnce,

    /// <summary>Every record once, for read_committed readers: Kafka transactions committed when a checkpoint completes.</summary>
    ExactlyOnce,
}
