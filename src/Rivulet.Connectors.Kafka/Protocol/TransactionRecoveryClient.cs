using Rivulet.Connectors.Kafka.Sink.Transactions;

namespace Rivulet.Connectors.Kafka.Protocol;

/// <summary>
/// Commits (or aborts) a transaction by transactional id, producer id and epoch, without
/// InitProducerId: FindCoordinator(transaction key) then EndTxn, through Kafka's wire protocol,
/// with the same security settings as the main client. librdkafka cannot resume a transaction
/// of another process, which is what recovering an exactly-once sink after a crash needs.
/// </summary>
internal sealed class TransactionRecoveryClient : ITransactionCommitter
{
    private const short FindCoordinatorKey = 10;
    private const short EndTxnKey = 26;
    private const sbyte TransactionKeyType = 1;
    private readonly IReadOnlyList<(string Host, int Port)> _bootstrap;
    private readonly KafkaSecurityOptions _security;
    private readonly TimeSpan _timeout;

    public TransactionRecoveryClient(IReadOnlyDictionary<string, string> properties, TimeSpan? timeout = null)
    {
        var servers = KafkaProperties.Required(properties, "bootstrap.servers", "TransactionRecoveryClient");
        _bootstrap = [.. servers.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(ParseEndpoint)];
        _security = KafkaSecurityOptions.From(properties);
        _timeout = timeout ?? TimeSpan.FromSeconds(60);
    }

    /// <inheritdoc />
    public TransactionCommitResult Commit(PendingTransaction transaction, CancellationToken cancellationToken) =>
        End(transaction.TransactionalId, transaction.ProducerId, transaction.ProducerEpoch, commit: true, cancellationToken);

    /// <summary>EndTxn(commit) by transactional id, producer id and epoch; throws <see cref="TransactionRecoveryException"/> unless it committed.</summary>
    public void Commit(string transactionalId, long producerId, short producerEpoch, CancellationToken cancellationToken) =>
        ThrowUnlessEnded(End(transactionalId, producerId, producerEpoch, commit: true, cancellationToken), transactionalId, producerId, producerEpoch, commit: true);

    /// <summary>EndTxn(abort) by transactional id, producer id and epoch; throws <see cref="TransactionRecoveryException"/> unless it aborted.</summary>
    public void Abort(string transactionalId, long producerId, short producerEpoch, CancellationToken cancellationToken) =>
        ThrowUnlessEnded(End(transactionalId, producerId, producerEpoch, commit: false, cancellationToken), transactionalId, producerId, producerEpoch, commit: false);

    private static void ThrowUnlessEnded(TransactionCommitResult result, string transactionalId, long producerId, short producerEpoch, bool commit)
    {
        if (!result.Committed)
        {
            throw new TransactionRecoveryException(transactionalId, producerId, producerEpoch, result.ErrorCode, commit);
        }
    }

    // Synchronous on purpose (see KafkaConnection): recovery must make progress on a starved thread pool.
    private TransactionCommitResult End(string transactionalId, long producerId, short producerEpoch, bool commit, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(_timeout);
        var backoff = TimeSpan.FromMilliseconds(50);
        string lastProblem = "no attempt finished";
        while (true)
        {
            try
            {
                var (host, port) = FindCoordinator(transactionalId, deadline.Token);
                using var coordinator = KafkaConnection.Open(host, port, _security, deadline.Token);
                var body = new KafkaWireWriter().String(transactionalId).Int64(producerId).Int16(producerEpoch).Boolean(commit).ToArray();
                var response = coordinator.Send(EndTxnKey, 1, body);
                response.Int32(); // throttle_time_ms
                var error = response.Int16();
                if (error == KafkaErrorCodes.None)
                {
                    return TransactionCommitResult.Success;
                }

                if (KafkaErrorCodes.MeansTransactionIsGone(error))
                {
                    return new TransactionCommitResult(false, error, KafkaErrorCodes.Name(error));
                }

                if (!KafkaErrorCodes.IsRetriable(error))
                {
                    throw new KafkaRequestRefusedException(
                        $"The brokers refused to {(commit ? "commit" : "abort")} transaction '{transactionalId}' (producer id {producerId}, epoch {producerEpoch}): " +
                        $"{KafkaErrorCodes.Name(error)} ({error}).{KafkaErrorCodes.Advice(error)}", error);
                }

                lastProblem = $"coordinator {coordinator.Endpoint} answered {KafkaErrorCodes.Name(error)}";
            }
            catch (Exception e) when (deadline.IsCancellationRequested && e is OperationCanceledException or IOException or System.Net.Sockets.SocketException or ObjectDisposedException)
            {
                cancellationToken.ThrowIfCancellationRequested();
                throw TimedOut(transactionalId, commit, lastProblem);
            }
            catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException or CoordinatorUnavailableException)
            {
                lastProblem = e.Message;
            }

            if (deadline.Token.WaitHandle.WaitOne(backoff))
            {
                cancellationToken.ThrowIfCancellationRequested();
                throw TimedOut(transactionalId, commit, lastProblem);
            }

            backoff = TimeSpan.FromMilliseconds(Math.Min(backoff.TotalMilliseconds * 2, 1000));
        }
    }

    private TimeoutException TimedOut(string transactionalId, bool commit, string lastProblem) =>
        new($"Could not {(commit ? "commit" : "abort")} transaction '{transactionalId}' within {_timeout.TotalSeconds:0} s: {lastProblem}.");

    private (string Host, int Port) FindCoordinator(string transactionalId, CancellationToken cancellationToken)
    {
        Exception? last = null;
        foreach (var (host, port) in _bootstrap)
        {
            try
            {
                using var connection = KafkaConnection.Open(host, port, _security, cancellationToken);
                var body = new KafkaWireWriter().String(transactionalId).Int8(TransactionKeyType).ToArray();
                var response = connection.Send(FindCoordinatorKey, 1, body);
                response.Int32(); // throttle_time_ms
                var error = response.Int16();
                var message = response.NullableString();
                var nodeId = response.Int32();
                // Kafka sends an empty host with an error; librdkafka's mock sends null.
                var coordinatorHost = response.NullableString();
                var coordinatorPort = response.Int32();
                if (error == KafkaErrorCodes.None && !string.IsNullOrEmpty(coordinatorHost))
                {
                    return (coordinatorHost, coordinatorPort);
                }

                last = new CoordinatorUnavailableException($"FindCoordinator via {host}:{port}: {KafkaErrorCodes.Name(error)} {message} (node {nodeId})");
                if (!KafkaErrorCodes.IsRetriable(error))
                {
                    throw new KafkaRequestRefusedException(last.Message + KafkaErrorCodes.Advice(error), error);
                }
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested && e is IOException or System.Net.Sockets.SocketException)
            {
                last = e;
            }
        }

        throw new CoordinatorUnavailableException($"No bootstrap server named the coordinator of '{transactionalId}': {last?.Message}");
    }

    private static (string Host, int Port) ParseEndpoint(string server)
    {
        var colon = server.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(server[(colon + 1)..], out var port))
        {
            throw new ArgumentException($"bootstrap.servers entry '{server}' is not host:port.");
        }

        return (server[..colon].Trim('[', ']'), port);
    }

    private sealed class CoordinatorUnavailableException(string message) : Exception(message);
}
