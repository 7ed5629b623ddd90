namespace Rivulet.Testing.Kafka;

/// <summary>Kafka protocol request types, by their wire API key, for error injection.</summary>
public enum KafkaApiKey : short
{
    /// <summary>Produce (API key 0): writes record batches to partitions.</summary>
    Produce = 0,
    /// <summary>Fetch (API key 1): reads record batches from partitions.</summary>
    Fetch = 1,
    /// <summary>ListOffsets (API key 2): looks up offsets by timestamp (earliest, latest or a time).</summary>
    ListOffsets = 2,
    /// <summary>Metadata (API key 3): lists brokers, topics, partitions and their leaders.</summary>
    Metadata = 3,
    /// <summary>OffsetCommit (API key 8): commits a consumer group's offsets.</summary>
    OffsetCommit = 8,
    /// <summary>OffsetFetch (API key 9): reads a consumer group's committed offsets.</summary>
    OffsetFetch = 9,
    /// <summary>FindCoordinator (API key 10): finds the group or transaction coordinator broker.</summary>
    FindCoordinator = 10,
    /// <summary>JoinGroup (API key 11): joins a consumer group (starts a rebalance).</summary>
    JoinGroup = 11,
    /// <summary>Heartbeat (API key 12): keeps a consumer group membership alive.</summary>
    Heartbeat = 12,
    /// <summary>LeaveGroup (API key 13): leaves a consumer group.</summary>
    LeaveGroup = 13,
    /// <summary>SyncGroup (API key 14): distributes the partition assignment of a consumer group.</summary>
    SyncGroup = 14,
    /// <summary>DescribeGroups (API key 15): describes consumer groups and their members.</summary>
    DescribeGroups = 15,
    /// <summary>ListGroups (API key 16): lists the consumer groups.</summary>
    ListGroups = 16,
    /// <summary>SaslHandshake (API key 17): negotiates the SASL mechanism.</summary>
    SaslHandshake = 17,
    /// <summary>ApiVersions (API key 18): asks which request versions the broker supports.</summary>
    ApiVersions = 18,
    /// <summary>CreateTopics (API key 19): creates topics.</summary>
    CreateTopics = 19,
    /// <summary>DeleteTopics (API key 20): deletes topics.</summary>
    DeleteTopics = 20,
    /// <summary>DeleteRecords (API key 21): deletes records before an offset.</summary>
    DeleteRecords = 21,
    /// <summary>InitProducerId (API key 22): gets a producer id and epoch (fences older producers of a transactional id).</summary>
    InitProducerId = 22,
    /// <summary>OffsetForLeaderEpoch (API key 23): finds the end offset of a leader epoch (log truncation checks).</summary>
    OffsetForLeaderEpoch = 23,
    /// <summary>AddPartitionsToTxn (API key 24): adds partitions to a transaction.</summary>
    AddPartitionsToTxn = 24,
    /// <summary>AddOffsetsToTxn (API key 25): adds a consumer group's offsets to a transaction.</summary>
    AddOffsetsToTxn = 25,
    /// <summary>EndTxn (API key 26): commits or aborts a transaction.</summary>
    EndTxn = 26,
    /// <summary>TxnOffsetCommit (API key 28): commits consumer offsets as part of a transaction.</summary>
    TxnOffsetCommit = 28,
    /// <summary>DescribeConfigs (API key 32): reads broker or topic configuration.</summary>
    DescribeConfigs = 32,
    /// <summary>CreatePartitions (API key 37): adds partitions to topics.</summary>
    CreatePartitions = 37,
    /// <summary>DescribeCluster (API key 60): describes the cluster's brokers and controller.</summary>
    DescribeCluster = 60,
    /// <summary>DescribeProducers (API key 61): describes the active producers of partitions.</summary>
    DescribeProducers = 61,
    /// <summary>DescribeTransactions (API key 65): describes transactions by transactional id.</summary>
    DescribeTransactions = 65,
    /// <summary>ListTransactions (API key 66): lists the transactions the coordinators know.</summary>
    ListTransactions = 66,
}
