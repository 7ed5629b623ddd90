using Microsoft.Extensions.Logging;
using Rivulet.Core.Checkpointing;
using Rivulet.Core.Recovery;
using Rivulet.Core.State.Serialization;

namespace Rivulet.Core.Runtime;

/// <summary>A job's settings, fixed when it starts.</summary>
internal sealed record JobSettings
{
    public required string JobName { get; init; }

    public required int MaxParallelism { get; init; }

    public required CheckpointConfig Checkpoints { get; init; }

    public required RestartStrategy RestartStrategy { get; init; }

    public required int BatchSize { get; init; }

    public required int ChannelCapacity { get; init; }

    public required TimeSpan BufferTimeout { get; init; }

    public TimeSpan AutoWatermarkInterval { get; init; } = TimeSpan.FromMilliseconds(200);

    public required ILoggerFactory LoggerFactory { get; init; }

    /// <summary>The clock of checkpoint triggering and timeouts and of restart backoff.</summary>
    public TimeProvider Clock { get; init; } = TimeProvider.System;

    /// <summary>A checkpoint or savepoint to start from (first attempt only).</summary>
    public string? InitialRestorePath { get; init; }

    public bool AllowNonRestoredState { get; init; }

    /// <summary>Opens the checkpoint directory (tests replace it to make storage operations fail).</summary>
    public Func<string, CheckpointStorage> OpenCheckpointStorage { get; init; } = root => new CheckpointStorage(root);

    /// <summary>The serializers registered for record types (records crossing processes on a cluster).</summary>
    public TypeSerializerRegistry Serializers { get; init; } = new();

    /// <summary>Start from the latest completed checkpoint in the checkpoint directory when there is one (a restarted process).</summary>
    public bool ResumeFromLatestCheckpoint { get; init; }
}
