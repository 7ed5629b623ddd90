namespace Rivulet.Connectors.Kafka.Sink.Transactions;

/// <summary>Union state of the sink: the shape of the run that took a checkpoint, so a restore at another parallelism knows whose transactional ids to fence.</summary>
internal sealed record SinkTopology(int Parallelism, int ProducerPoolSize);
