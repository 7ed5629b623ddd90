namespace Rivulet.Connectors.Kafka.Sink;

/// <summary>The sink's delivery guarantee (Flink's <c>FlinkKafkaProducer.Semantic</c>).</summary>
public enum Semantic
{
    /// <summary>No guarantee: records may be lost or duplicated on failure.</summary>
    None,

    /// <summary>
    /// The default: everything sent before a checkpoint barrier is acknowledged before that
    /// checkpoint completes, so nothing is lost; a restart may write records again.
    /// </summary>
    AtLeastOnce,

    /// <summary>
    /// Kafka transactions committed with checkpoints (two-phase commit): <c>read_committed</c>
    /// readers see each record exactly once, also across crashes.
    /// </summary>
    ExactlyOnce,
}
