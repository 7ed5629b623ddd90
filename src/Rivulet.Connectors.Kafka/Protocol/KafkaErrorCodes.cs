namespace Rivulet.Connectors.Kafka.Protocol;

/// <summary>The Kafka error codes the recovery client acts on.</summary>
internal static class KafkaErrorCodes
{
    public const short None = 0;
    public const short CoordinatorLoadInProgress = 14;
    public const short CoordinatorNotAvailable = 15;
    public const short NotCoordinator = 16;
    public const short InvalidProducerEpoch = 47;
    public const short InvalidTxnState = 48;
    public const short InvalidProducerIdMapping = 49;
    public const short ConcurrentTransactions = 51;
    public const short TransactionalIdAuthorizationFailed = 53;
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
        InvalidProducerEpoch => "INVALID_PRODUCER_EPOCH",
        InvalidTxnState => "INVALID_TXN_STATE",
        InvalidProducerIdMapping => "INVALID_PRODUCER_ID_MAPPING",
        ConcurrentTransactions => "CONCURRENT_TRANSACTIONS",
        TransactionalIdAuthorizationFailed => "TRANSACTIONAL_ID_AUTHORIZATION_FAILED",
        ProducerFenced => "PRODUCER_FENCED",
        _ => $"error {code}",
    };
}
