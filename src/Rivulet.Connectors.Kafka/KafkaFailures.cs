using Confluent.Kafka;
using Rivulet.Connectors.Kafka.Protocol;
using Rivulet.Connectors.Kafka.Sink.Transactions;

namespace Rivulet.Connectors.Kafka;

/// <summary>Which failures of the Kafka connector a restart of the job cannot fix.</summary>
internal static class KafkaFailures
{
    /// <summary>
    /// True for settings the client or the brokers refuse, denied access, a failed login, and
    /// lost transactions: the next attempt would meet the same error, so the job must fail at once
    /// instead of restarting forever.
    /// </summary>
    public static bool RestartCannotFix(Exception e) => e switch
    {
        ArgumentException or NotSupportedException or TransactionLostException or KafkaRequestRefusedException or AuthenticationFailedException => true,
        KafkaException kafka => IsPermanent(kafka.Error.Code) || (kafka.InnerException is { } inner && RestartCannotFix(inner)),
        _ => false,
    };

    private static bool IsPermanent(ErrorCode code) => code is
        ErrorCode.TopicAuthorizationFailed or ErrorCode.GroupAuthorizationFailed or ErrorCode.ClusterAuthorizationFailed
        or ErrorCode.TransactionalIdAuthorizationFailed or ErrorCode.SaslAuthenticationFailed or ErrorCode.Local_Authentication
        or ErrorCode.InvalidTransactionTimeout;
}
