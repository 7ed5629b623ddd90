using Confluent.Kafka;

namespace Rivulet.Connectors.Kafka.Sink.Transactions;

/// <summary>
/// Runs a blocking transactional call of librdkafka (init, commit, abort) in short slices, so a
/// cancelled job stops waiting within a second even while the brokers are unreachable.
/// librdkafka allows exactly this: a call that timed out returns a retriable error, and calling it
/// again resumes waiting for the operation already under way.
/// </summary>
internal static class CancellableTransactionCall
{
    private static readonly TimeSpan Slice = TimeSpan.FromSeconds(1);

    /// <summary>Calls <paramref name="call"/> with slices of at most a second until it returns, <paramref name="timeout"/> passes (its last error is thrown) or the token is cancelled.</summary>
    public static void Run(Action<TimeSpan> call, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var left = deadline - DateTime.UtcNow;
            try
            {
                call(left < Slice ? (left > TimeSpan.Zero ? left : TimeSpan.FromMilliseconds(1)) : Slice);
                return;
            }
            catch (KafkaRetriableException) when (DateTime.UtcNow < deadline || cancellationToken.IsCancellationRequested)
            {
                // Timed out within the slice (or a transient error): wait on, unless cancelled.
            }
        }
    }
}
