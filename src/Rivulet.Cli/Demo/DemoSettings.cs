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

    /// <summary>Kept short so a killed attempt's transactions do not outlive the demo; far above the downtime between restarts.</summary>
    public int TransactionTimeoutMs { get; init; } = 120_000;
}
