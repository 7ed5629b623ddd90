using Rivulet.Connectors.Kafka.Sink.Partitioning;
using Rivulet.Connectors.Kafka.Sink.Serialization;

namespace Rivulet.Connectors.Kafka.Sink;

/// <summary>
/// What a Kafka sink writes and how, as configured on <see cref="KafkaProducer{T}"/> or built by
/// <see cref="KafkaSinkBuilder{T}"/>. Immutable: every subtask reads the same instance, and a setter
/// replaces it with a changed copy.
/// </summary>
/// <param name="Schema">Turns elements into records.</param>
/// <param name="Partitioner">Chooses partitions; null leaves it to Kafka's key hashing. Each subtask opens its own copy.</param>
/// <param name="Writer">
/// The writer's settings with the user's properties as given; a subtask resolves the client
/// properties and the transactional-id prefix from them when it opens.
/// </param>
internal sealed record KafkaProducerSettings<T>(IKafkaSerializationSchema<T> Schema, KafkaPartitioner<T>? Partitioner, KafkaSinkSettings Writer)
{
    /// <summary>The prefix of the transactional ids; null = derived from the job name and the operator uid.</summary>
    public string? TransactionalIdPrefix { get; init; }

    /// <summary>The transactional-id prefix of a job: the configured one or the default for its job name and operator uid.</summary>
    public string TransactionalIdPrefixFor(Core.Api.Functions.IRuntimeContext runtime) =>
        TransactionalIdPrefix ?? Transactions.TransactionalIdNaming.DefaultPrefix(runtime.JobName, runtime.OperatorUid);
}
