namespace Rivulet.Connectors.Kafka.Sink.Transactions;

/// <summary>What the data at the brokers says about how a transaction ended.</summary>
internal enum TransactionOutcome
{
    /// <summary>Its record is visible to read_committed readers: it committed.</summary>
    Committed,

    /// <summary>Its record lies below the last stable offset and read_committed readers skip it: it aborted.</summary>
    Aborted,

    /// <summary>The last stable offset has not passed its record yet: it (or an older transaction there) is still open.</summary>
    Open,

    /// <summary>The data cannot tell (the record is gone, or the sink may not read the topic); see the reason.</summary>
    Unknown,
}
