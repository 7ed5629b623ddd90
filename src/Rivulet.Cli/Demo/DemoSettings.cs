using Rivulet.Connectors.Kafka.Sink;

namespace Rivulet.Cli.Demo;

/// <summary>What the demo job needs to know; shared by the orchestrator and the job process.</summary>
internal sealed record DemoSettings
{
    public const string InputTopic = "rivulet-demo-input";
    public const string OutputTopic = "rivulet-demo-output";
    public const int InputPartitions = 4;
    public const int OutputPartitions = 4;

    public required string BootstrapServers { get; init; }

    public required string CheckpointDirectory { get; init; }

    public int Parallelism { get; init; } = 2;

    public int CheckpointIntervalMs { get; init; } = 1000;

    public Semantic Semantic { get; init; } = Semantic.ExactlyOnce;

    public string InputTopicName { get; init; } = InputTopic;

    public string OutputTopicName { get; init; } = OutputTopic;

    public string GroupId { get; init; } = "rivulet-demo";

    /// <summary>
    /// Next offset to read per input partition on a fresh start (no checkpoint yet); null = the
    /// group's offsets, else the earliest. The demo passes the input's end offsets from before
    /// it wrote anything, so records of earlier runs on a shared cluster are not read.
    /// </summary>
    public IReadOnlyDictionary<int, long>? StartOffsets { get; init; }

    /// <summary>Kept short so a killed attempt's transactions do not outlive the demo; far above the downtime between restarts.</summary>
    public int TransactionTimeoutMs { get; init; } = 120_000;
}
