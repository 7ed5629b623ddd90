using Confluent.Kafka;
using Rivulet.Connectors.Kafka.Protocol;
using Rivulet.Connectors.Kafka.Sink.Transactions;
using Rivulet.Connectors.Kafka.Tests.Sink;
using Rivulet.Testing.Kafka;

namespace Rivulet.Connectors.Kafka.Tests.Protocol;

/// <summary>
/// The managed client that commits a crashed sink's pre-committed transaction: it retries what a
/// coordinator answers while it moves or is busy, and stops with a clear error on anything else.
/// Each test has a cluster of its own, since injected errors hit whoever sends next.
/// </summary>
public sealed class TransactionRecoveryClientTests
{
    [Fact]
    public void Coordinator_errors_that_Kafka_clients_retry_are_retried_until_the_commit_succeeds()
    {
        using var cluster = KafkaTestCluster.Start(3);
        var (topic, pending) = CrashedSinkTransaction.Leave(cluster, "retry", "retry-0", "retry-1", "retry-2");
        cluster.InjectRequestErrors(KafkaApiKey.FindCoordinator, ErrorCode.GroupCoordinatorNotAvailable);
        cluster.InjectRequestErrors(KafkaApiKey.EndTxn, ErrorCode.NotCoordinatorForGroup, ErrorCode.GroupLoadInProgress, ErrorCode.ConcurrentTransactions);

        Assert.True(Client(cluster.BootstrapServers).Commit(pending, TestContext.Current.CancellationToken).Committed);

        Assert.Equal(["retry-0", "retry-1", "retry-2"], Committed(cluster, topic));
    }

    [Fact]
    public void Any_other_coordinator_error_stops_the_recovery_with_its_name_and_leaves_the_transaction_alone()
    {
        using var cluster = KafkaTestCluster.Start(1);
        var (topic, pending) = CrashedSinkTransaction.Leave(cluster, "denied", "denied-0", "denied-1", "denied-2");
        cluster.InjectRequestErrors(KafkaApiKey.EndTxn, ErrorCode.TransactionalIdAuthorizationFailed);

        var error = Assert.Throws<KafkaRequestRefusedException>(() => Client(cluster.BootstrapServers).Commit(pending, TestContext.Current.CancellationToken));

        Assert.Contains($"The brokers refused to commit transaction '{pending.TransactionalId}' (producer id {pending.ProducerId}, epoch {pending.ProducerEpoch}): " +
                        "TRANSACTIONAL_ID_AUTHORIZATION_FAILED (53). Grant the sink's principal WRITE and DESCRIBE on its transactional ids", error.Message);
        Assert.Equal(53, error.ErrorCode);
        Assert.Equal(0, SinkTestSupport.LastStableOffset(cluster.BootstrapServers, topic, 0));
        // Nothing was ended: a later attempt still commits it.
        Assert.True(Client(cluster.BootstrapServers).Commit(pending, TestContext.Current.CancellationToken).Committed);
        Assert.Equal(["denied-0", "denied-1", "denied-2"], Committed(cluster, topic));
    }

    [Fact]
    public void Unreachable_brokers_end_in_a_timeout_naming_the_transaction()
    {
        var client = new TransactionRecoveryClient(new Dictionary<string, string> { ["bootstrap.servers"] = "127.0.0.1:1" }, TimeSpan.FromSeconds(2));

        var error = Assert.Throws<TimeoutException>(() =>
            client.Commit(new PendingTransaction(1, "lonely-0-0", 1000, 0, 1), TestContext.Current.CancellationToken));

        Assert.Contains("Could not commit transaction 'lonely-0-0' within 2 s", error.Message);
    }

    [Fact]
    public void A_broker_that_accepts_but_never_answers_ends_in_the_timeout_not_a_hang()
    {
        using var silent = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        silent.Start();
        var port = ((System.Net.IPEndPoint)silent.LocalEndpoint).Port;
        var client = new TransactionRecoveryClient(new Dictionary<string, string> { ["bootstrap.servers"] = $"127.0.0.1:{port}" }, TimeSpan.FromSeconds(2));
        var clock = System.Diagnostics.Stopwatch.StartNew();

        var error = Assert.Throws<TimeoutException>(() =>
            client.Commit(new PendingTransaction(1, "mute-0-0", 1000, 0, 1), TestContext.Current.CancellationToken));

        Assert.Contains("Could not commit transaction 'mute-0-0' within 2 s", error.Message);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"the blocked read should end at the deadline, took {clock.Elapsed}");
    }

    internal static TransactionRecoveryClient Client(string bootstrap) =>
        new(new Dictionary<string, string> { ["bootstrap.servers"] = bootstrap }, TimeSpan.FromSeconds(20));

    internal static List<string> Committed(KafkaTestCluster cluster, string topic) =>
        [.. SinkTestSupport.ReadAll(cluster.BootstrapServers, topic, 1, IsolationLevel.ReadCommitted).Select(r => SinkTestSupport.Text(r.Message.Value))];
}
