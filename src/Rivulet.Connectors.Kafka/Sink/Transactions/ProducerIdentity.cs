using System.Text.Json;

namespace Rivulet.Connectors.Kafka.Sink.Transactions;

/// <summary>
/// A transactional producer's id and epoch, and its transaction state, as librdkafka reports
/// them in its statistics JSON (<c>"eos": {"txn_state", "producer_id", "producer_epoch"}</c>):
/// the only place librdkafka exposes them.
/// </summary>
public readonly record struct ProducerIdentity(long ProducerId, short ProducerEpoch, string TransactionState)
{
    /// <summary>Reads the <c>eos</c> object of a statistics JSON; null when it is missing or has no producer id yet.</summary>
    public static ProducerIdentity? FromStatistics(string json)
    {
        using var document = JsonDocument.Parse(json);
        if (!document.RootElement.TryGetProperty("eos", out var eos)
            || !eos.TryGetProperty("producer_id", out var id)
            || !eos.TryGetProperty("producer_epoch", out var epoch))
        {
            return null;
        }

        var producerId = id.GetInt64();
        if (producerId < 0)
        {
            return null;
        }

        var state = eos.TryGetProperty("txn_state", out var txnState) ? txnState.GetString() ?? string.Empty : string.Empty;
        return new ProducerIdentity(producerId, epoch.GetInt16(), state);
    }
}
