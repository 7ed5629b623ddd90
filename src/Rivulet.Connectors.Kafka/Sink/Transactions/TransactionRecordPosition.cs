namespace Rivulet.Connectors.Kafka.Sink.Transactions;

/// <summary>Where the broker stored one record of a transaction.</summary>
/// <param name="Topic">The record's topic.</param>
/// <param name="Partition">The record's partition.</param>
/// <param name="Offset">The offset the broker acknowledged for it.</param>
public sealed record TransactionRecordPosition(string Topic, int Partition, long Offset)
{
    /// <inheritdoc/>
    public override string ToString() => $"{Topic}/{Partition}@{Offset}";
}
