namespace Rivulet.Connectors.Kafka.Source.Reader;

/// <summary>A subscribed topic does not exist or may not be read: the source fails at start instead of idling.</summary>
public sealed class KafkaTopicUnavailableException(string message) : Exception(message);
