using System.Runtime.InteropServices;
using System.Text;
using Confluent.Kafka;
using Rivulet.Testing.Kafka.Native;

namespace Rivulet.Testing.Kafka;

/// <summary>
/// A Kafka-protocol test broker cluster served over TCP on 127.0.0.1: librdkafka's mock cluster
/// with Rivulet's patches (tools/mock-broker), hosted in this process. Clients connect to
/// <see cref="BootstrapServers"/> exactly as to a real cluster.
/// </summary>
public sealed class KafkaTestCluster : IDisposable
{
    private readonly object _gate = new();
    private IntPtr _handle;
    private IntPtr _cluster;

    private KafkaTestCluster(IntPtr handle, IntPtr cluster, int brokerCount)
    {
        _handle = handle;
        _cluster = cluster;
        BrokerCount = brokerCount;
        BootstrapServers = Marshal.PtrToStringUTF8(MockClusterNative.ClusterBootstraps(cluster))
            ?? throw new InvalidOperationException("The mock cluster reported no bootstrap address.");
    }

    /// <summary>Kafka's default <c>transaction.max.timeout.ms</c> (15 minutes), which the test broker enforces too.</summary>
    public const int DefaultTransactionMaxTimeoutMs = 900_000;

    /// <summary>Comma-separated <c>host:port</c> list of the brokers.</summary>
    public string BootstrapServers { get; }

    /// <summary>Number of brokers; their ids are 1..BrokerCount.</summary>
    public int BrokerCount { get; }

    /// <summary>Starts a cluster of <paramref name="brokerCount"/> brokers.</summary>
    public static KafkaTestCluster Start(int brokerCount = 3, KafkaTestClusterOptions? options = null)
    {
        if (brokerCount < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(brokerCount), brokerCount, "A cluster needs at least one broker.");
        }

        options ??= new KafkaTestClusterOptions();
        TestBrokerLibrary.EnsureLoaded();

        var conf = MockClusterNative.ConfNew();
        var error = new byte[512];
        foreach (var (name, value) in new[] { ("log_level", options.LogLevel.ToString(System.Globalization.CultureInfo.InvariantCulture)), ("client.id", "rivulet-test-broker") })
        {
            if (MockClusterNative.ConfSet(conf, name, value, error, (UIntPtr)error.Length) != MockClusterNative.ConfOk)
            {
                MockClusterNative.ConfDestroy(conf);
                throw new InvalidOperationException($"Test broker setting {name}={value}: {Text(error)}");
            }
        }

        // rd_kafka_new takes ownership of conf on success only.
        var handle = MockClusterNative.KafkaNew(MockClusterNative.ProducerType, conf, error, (UIntPtr)error.Length);
        if (handle == IntPtr.Zero)
        {
            MockClusterNative.ConfDestroy(conf);
            throw new InvalidOperationException($"Could not create the test broker's client handle: {Text(error)}");
        }

        var cluster = MockClusterNative.ClusterNew(handle, brokerCount);
        if (cluster == IntPtr.Zero)
        {
            MockClusterNative.KafkaDestroy(handle);
            throw new InvalidOperationException("Could not start the mock cluster (see librdkafka's log above).");
        }

        // Consumer groups otherwise wait 3 s before the first rebalance, which only slows tests.
        MockClusterNative.GroupInitialRebalanceDelayMs(cluster, options.GroupInitialRebalanceDelayMs);
        var started = new KafkaTestCluster(handle, cluster, brokerCount);
        started.SetTransactionMaxTimeout(options.TransactionMaxTimeoutMs);
        return started;
    }

    /// <summary>Creates a topic (the mock otherwise auto-creates topics with 4 partitions).</summary>
    public void CreateTopic(string topic, int partitions, int replicationFactor = 1)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(topic);
        if (partitions < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(partitions), partitions, "A topic needs at least one partition.");
        }

        if (replicationFactor < 1 || replicationFactor > BrokerCount)
        {
            throw new ArgumentOutOfRangeException(nameof(replicationFactor), replicationFactor,
                $"The replication factor must be between 1 and the broker count ({BrokerCount}).");
        }

        Check(WithCluster(c => MockClusterNative.TopicCreate(c, topic, partitions, replicationFactor)), $"create topic '{topic}'");
    }

    /// <summary>
    /// Grows an existing topic to <paramref name="totalPartitions"/> partitions, as Kafka's
    /// CreatePartitions does: existing partitions keep their records and offsets, the new ones
    /// start empty with the topic's replication factor and are in metadata at once.
    /// </summary>
    public void AddPartitions(string topic, int totalPartitions)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(topic);
        Check(WithCluster(c => MockClusterNative.TopicCreatePartitions(c, topic, totalPartitions)), $"grow topic '{topic}' to {totalPartitions} partitions");
    }

    /// <summary>Takes a broker down: its connections are closed and new ones refused.</summary>
    public void SetBrokerDown(int brokerId) =>
        Check(WithCluster(c => MockClusterNative.BrokerSetDown(c, CheckBroker(brokerId))), $"take broker {brokerId} down");

    /// <summary>Brings a broker that was taken down back up.</summary>
    public void SetBrokerUp(int brokerId) =>
        Check(WithCluster(c => MockClusterNative.BrokerSetUp(c, CheckBroker(brokerId))), $"bring broker {brokerId} up");

    /// <summary>
    /// Sets the brokers' <c>transaction.max.timeout.ms</c>: producers asking for a longer
    /// <c>transaction.timeout.ms</c> are refused with INVALID_TRANSACTION_TIMEOUT from then on.
    /// </summary>
    public void SetTransactionMaxTimeout(int timeoutMs)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(timeoutMs, 1);
        WithCluster(c =>
        {
            MockClusterNative.SetTransactionMaxTimeoutMs(c, timeoutMs);
            return 0;
        });
    }

    /// <summary>
    /// Aborts the ongoing transaction of <paramref name="transactionalId"/> as the transaction
    /// coordinator does once it is open longer than its <c>transaction.timeout.ms</c>: abort markers
    /// are written and the producer's epoch is bumped, so the producer that opened it is fenced.
    /// Throws when the id has no ongoing transaction.
    /// </summary>
    public void ExpireTransaction(string transactionalId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(transactionalId);
        Check(WithCluster(c => MockClusterNative.TransactionExpire(c, transactionalId)), $"expire the transaction of '{transactionalId}'");
    }

    /// <summary>
    /// Makes the next <paramref name="errors"/>.Length requests of type <paramref name="apiKey"/>
    /// (to any broker) fail with these errors, in order.
    /// </summary>
    public void InjectRequestErrors(KafkaApiKey apiKey, params ErrorCode[] errors)
    {
        if (errors.Length == 0)
        {
            throw new ArgumentException("Name at least one error to inject.", nameof(errors));
        }

        var codes = errors.Select(e => (int)e).ToArray();
        WithCluster(c =>
        {
            MockClusterNative.PushRequestErrors(c, (short)apiKey, (UIntPtr)codes.Length, codes);
            return 0;
        });
    }

    /// <summary>Drops injected errors that were not consumed yet.</summary>
    public void ClearRequestErrors(KafkaApiKey apiKey) => WithCluster(c =>
    {
        MockClusterNative.ClearRequestErrors(c, (short)apiKey);
        return 0;
    });

    /// <inheritdoc />
    public void Dispose()
    {
        lock (_gate)
        {
            if (_cluster != IntPtr.Zero)
            {
                MockClusterNative.ClusterDestroy(_cluster);
                _cluster = IntPtr.Zero;
            }

            if (_handle != IntPtr.Zero)
            {
                MockClusterNative.KafkaDestroy(_handle);
                _handle = IntPtr.Zero;
            }
        }
    }

    /// <summary>
    /// Runs a native call on the live cluster, holding the lock so that a concurrent
    /// <see cref="Dispose"/> cannot free the cluster under it.
    /// </summary>
    private T WithCluster<T>(Func<IntPtr, T> call)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_cluster == IntPtr.Zero, this);
            return call(_cluster);
        }
    }

    private int CheckBroker(int brokerId) =>
        brokerId >= 1 && brokerId <= BrokerCount
            ? brokerId
            : throw new ArgumentOutOfRangeException(nameof(brokerId), brokerId, $"Broker ids are 1..{BrokerCount}.");

    private static void Check(int err, string what)
    {
        if (err != 0)
        {
            throw new InvalidOperationException($"Test broker could not {what}: {MockClusterNative.Describe(err)} ({err}).");
        }
    }

    private static string Text(byte[] buffer)
    {
        var end = Array.IndexOf(buffer, (byte)0);
        return Encoding.UTF8.GetString(buffer, 0, end < 0 ? buffer.Length : end);
    }
}
