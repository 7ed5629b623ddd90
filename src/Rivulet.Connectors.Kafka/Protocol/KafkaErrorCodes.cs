namespace Rivulet.Connectors.Kafka.Protocol;

/// <summary>The Kafka error codes the recovery client acts on.</summary>
internal static class KafkaErrorCodes
{
    public const short None = 0;
    public const short CoordinatorLoadInProgress = 14;
    public const short CoordinatorNotAvailable = 15;
    public const short NotCoordinator = 16;
    public const short TopicAuthorizationFailed = 29;
    public const short ClusterAuthorizationFailed = 31;
    public const short UnsupportedVersion = 35;
    public const short InvalidProducerEpoch = 47;
    public const short InvalidTxnState = 48;
    public const short InvalidProducerIdMapping = 49;
    public const short ConcurrentTransactions = 51;
    public const short TransactionalIdAuthorizationFailed = 53;
    public const short SaslAuthenticationFailed = 58;
    public const short ProducerFenced = 90;

    public static bool IsRetriable(short code) =>
        code is CoordinatorLoadInProgress or CoordinatorNotAvailable or NotCoordinator or ConcurrentTransactions;

    public static bool MeansTransactionIsGone(short code) =>
        code is InvalidProducerEpoch or InvalidTxnState or InvalidProducerIdMapping or ProducerFenced;

    public static string Name(short code) => code switch
    {
        None => "NONE",
        CoordinatorLoadInProgress => "COORDINATOR_LOAD_IN_PROGRESS",
        CoordinatorNotAvailable => "COORDINATOR_NOT_AVAILABLE",
        NotCoordinator => "NOT_COORDINATOR",
        TopicAuthorizationFailed => "TOPIC_AUTHORIZATION_FAILED",
        ClusterAuthorizationFailed => "CLUSTER_AUTHORIZATION_FAILED",
        UnsupportedVersion => "UNSUPPORTED_VERSION",
        InvalidProducerEpoch => "INVALID_PRODUCER_EPOCH",
        InvalidTxnState => "INVALID_TXN_STATE",
        InvalidProducerIdMapping => "INVALID_PRODUCER_ID_MAPPING",
        ConcurrentTransactions => "CONCURRENT_TRANSACTIONS",
        TransactionalIdAuthorizationFailed => "TRANSACTIONAL_ID_AUTHORIZATION_FAILED",
        SaslAuthenticationFailed => "SASL_AUTHENTICATION_FAILED",
        ProducerFenced => "PRODUCER_FENCED",
        _ => $"error {code}",
    };

    /// <summary>What the user can do about an error no retry fixes, as a sentence to append (empty when there is nothing specific).</summary>
    public static string Advice(short code) => code switch
    {
        TransactionalIdAuthorizationFailed => " Grant the sink's principal WRITE and DESCRIBE on its transactional ids (the prefix set with SetTransactionalIdPrefix).",
        TopicAuthorizationFailed or ClusterAuthorizationFailed => " Grant the sink's principal the ACLs its topics and transactions need.",
        SaslAuthenticationFailed => " Check sasl.username / sasl.password and sasl.mechanism.",
        UnsupportedVersion => " EXACTLY_ONCE needs brokers with transactions (Kafka 0.11 or later).",
        _ => string.Empty,
    };
}
