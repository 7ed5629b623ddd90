using System.Runtime.InteropServices;

namespace Rivulet.Testing.Kafka.Native;

/// <summary>
/// The librdkafka entry points that host a mock cluster. Resolved to the library built by
/// tools/native/build-librdkafka.sh with Rivulet's mock patches, loaded by <see cref="TestBrokerLibrary"/>.
/// </summary>
internal static partial class MockClusterNative
{
    private const string Library = TestBrokerLibrary.ImportName;

    public const int ProducerType = 0;
    public const int ConfOk = 0;

    [LibraryImport(Library, EntryPoint = "rd_kafka_conf_new")]
    public static partial IntPtr ConfNew();

    [LibraryImport(Library, EntryPoint = "rd_kafka_conf_set", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int ConfSet(IntPtr conf, string name, string value, byte[] errstr, UIntPtr errstrSize);

    [LibraryImport(Library, EntryPoint = "rd_kafka_conf_destroy")]
    public static partial void ConfDestroy(IntPtr conf);

    [LibraryImport(Library, EntryPoint = "rd_kafka_new")]
    public static partial IntPtr KafkaNew(int type, IntPtr conf, byte[] errstr, UIntPtr errstrSize);

    [LibraryImport(Library, EntryPoint = "rd_kafka_destroy")]
    public static partial void KafkaDestroy(IntPtr rk);

    [LibraryImport(Library, EntryPoint = "rd_kafka_err2str")]
    public static partial IntPtr ErrorToString(int err);

    [LibraryImport(Library, EntryPoint = "rd_kafka_mock_cluster_new")]
    public static partial IntPtr ClusterNew(IntPtr rk, int brokerCount);

    [LibraryImport(Library, EntryPoint = "rd_kafka_mock_cluster_destroy")]
    public static partial void ClusterDestroy(IntPtr cluster);

    [LibraryImport(Library, EntryPoint = "rd_kafka_mock_cluster_bootstraps")]
    public static partial IntPtr ClusterBootstraps(IntPtr cluster);

    [LibraryImport(Library, EntryPoint = "rd_kafka_mock_topic_create", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int TopicCreate(IntPtr cluster, string topic, int partitionCount, int replicationFactor);

    /// <summary>Rivulet's patch (tools/mock-broker): grows an existing topic to a new total partition count.</summary>
    [LibraryImport(Library, EntryPoint = "rd_kafka_mock_topic_create_partitions", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int TopicCreatePartitions(IntPtr cluster, string topic, int partitionCount);

    [LibraryImport(Library, EntryPoint = "rd_kafka_mock_broker_set_down")]
    public static partial int BrokerSetDown(IntPtr cluster, int brokerId);

    [LibraryImport(Library, EntryPoint = "rd_kafka_mock_broker_set_up")]
    public static partial int BrokerSetUp(IntPtr cluster, int brokerId);

    [LibraryImport(Library, EntryPoint = "rd_kafka_mock_push_request_errors_array")]
    public static partial void PushRequestErrors(IntPtr cluster, short apiKey, UIntPtr count, int[] errors);

    [LibraryImport(Library, EntryPoint = "rd_kafka_mock_clear_request_errors")]
    public static partial void ClearRequestErrors(IntPtr cluster, short apiKey);

    /// <summary>Rivulet's patch (tools/mock-broker): the brokers' <c>transaction.max.timeout.ms</c>.</summary>
    [LibraryImport(Library, EntryPoint = "rd_kafka_mock_set_transaction_max_timeout_ms")]
    public static partial void SetTransactionMaxTimeoutMs(IntPtr cluster, int timeoutMs);

    /// <summary>Rivulet's patch (tools/mock-broker): aborts a transactional id's ongoing transaction as its timeout would.</summary>
    [LibraryImport(Library, EntryPoint = "rd_kafka_mock_transaction_expire", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int TransactionExpire(IntPtr cluster, string transactionalId);

    [LibraryImport(Library, EntryPoint = "rd_kafka_mock_group_initial_rebalance_delay_ms")]
    public static partial void GroupInitialRebalanceDelayMs(IntPtr cluster, int delayMs);

    public static string Describe(int err) => Marshal.PtrToStringUTF8(ErrorToString(err)) ?? $"error {err}";
}
