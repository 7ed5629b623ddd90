namespace Rivulet.Connectors.Kafka.Protocol;

/// <summary>
/// The brokers refused a request of the recovery client with an error that no retry changes
/// (authorization, an unsupported request): the message names the request and the error.
/// </summary>
public sealed class KafkaRequestRefusedException(string message, short errorCode) : Exception(message)
{
    /// <summary>Kafka's error code.</summary>
    public short ErrorCode { get; } = errorCode;
}
